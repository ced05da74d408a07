import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../../src/contract/api/readiness.ts';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';
import { launchChromium } from './browser.ts';

/**
 * The program workspace in a real browser: Priya (admin) sees the four phases and the seeded risks, adds a
 * blocker risk (the open-blocker banner appears and the readiness verdict turns no-go), and comments on it
 * with an @mention that resolves to a name while an unknown handle stays text. No console errors or CSP
 * violations.
 */
let stack: TestStack;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  stack = await startStack({ webRoot: WEB_ROOT });
  browser = await launchChromium();
  // Maya signs in once so she has a people row: only known people can be @mentioned.
  await stack.signIn('Maya');
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('program workspace page', () => {
  it('shows phases and risks, adds a blocker that makes the verdict no-go, comments with a mention', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
      );
    });
    const page: Page = await context.newPage();
    let signedIn = false;
    page.on('console', (m) => {
      const url = m.location().url;
      if (signedIn && m.type() === 'error' && (url === '' || url.startsWith(stack.baseUrl)))
        problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    await page.goto(`${stack.baseUrl}/admin/workspace`);
    await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    signedIn = true;
    await page.getByRole('button', { name: 'Sign in as Priya Raman' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/workspace');
    await page.getByRole('heading', { level: 1, name: 'Program' }).waitFor();
    await expect.poll(() => page.getByTestId('phase').count()).toBe(4);
    await expect.poll(() => page.getByTestId('risk-row').count()).toBe(4);
    // New blocker risk
    await page.getByText('Add a risk', { exact: true }).click();
    const form = page.getByRole('form', { name: 'New risk' });
    await form.getByLabel('Title').fill('Ingress not approved');
    await form.getByLabel('Level').selectOption('blocker');
    await form.getByLabel('Owner').fill('Platform Engineering');
    await form.getByRole('button', { name: 'Add risk' }).click();
    await page.getByTestId('open-blockers').waitFor();
    await expect.poll(() => page.getByTestId('open-blocker-count').textContent()).toBe('1');
    const priya = await stack.signIn('Priya');
    const report = await priya.json<ReadinessReport>('/api/v1/readiness');
    expect(report.verdict).toBe('no_go');
    expect(report.blockers.map((b) => b.title)).toContain('Ingress not approved');
    await page.getByRole('link', { name: 'Ingress not approved' }).first().click();
    await page.getByRole('heading', { name: 'Risk: Ingress not approved' }).waitFor();
    await page.getByLabel(/Add a comment/).fill('Can @maya.patel review? cc @nobody.x');
    await page.getByRole('button', { name: 'Comment' }).click();
    await page.getByTestId('comment').first().waitFor();
    expect(await page.getByTestId('comment').first().textContent()).toContain('@Maya Patel');
    expect(await page.getByTestId('comment').first().textContent()).toContain('@nobody.x');
    await context.close();
    expect(problems).toEqual([]);
  });
});
