import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';
import { launchChromium } from './browser.ts';

/**
 * The audience packages page in a real browser: Priya (admin, MFA) generates the Leadership package, sees it
 * listed with its verdict and download links, and verifies it against the audit log. No console errors or CSP
 * violations.
 */
let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  stack = await startStack({ webRoot: WEB_ROOT });
  browser = await launchChromium();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('the audience packages page', () => {
  it('generates a package, lists it with downloads, and verifies it', async () => {
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
      );
    });
    page = await context.newPage();
    let signedIn = false;
    page.on('console', (message) => {
      const url = message.location().url;
      if (signedIn && message.type() === 'error' && (url === '' || url.startsWith(stack.baseUrl)))
        problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
    await page.goto(`${stack.baseUrl}/admin/packages`);
    await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    signedIn = true;
    await page.getByRole('button', { name: 'Sign in as Priya Raman' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/packages');
    await page.getByRole('heading', { level: 1, name: 'Audience packages' }).waitFor();
    for (const audience of ['leadership', 'product', 'security', 'platform'])
      await page.getByTestId(`audience-${audience}`).waitFor();
    await page.getByText('No package has been generated yet.').waitFor();

    await page.getByTestId('generate-leadership').click();
    await page.getByTestId('generated').waitFor();
    const row = page.getByTestId('package-row').first();
    await row.waitFor();
    expect(await row.getAttribute('data-audience')).toBe('leadership');
    const href = await row.getByTestId('download-pdf').getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/packages\/[0-9a-f-]{36}\/download\?format=pdf$/);
    await row.getByTestId('verify').click();
    const result = row.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toMatch(/Matches the audit log/);
    expect(problems).toEqual([]);
  });
});
