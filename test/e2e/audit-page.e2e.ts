import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';
import { launchChromium } from './browser.ts';

/**
 * The audit log page in a real browser: an admin (Priya) searches the log, narrows it by family and action (the
 * filter lives in the URL), opens a row's details, and follows the actor's name to that person's access history
 * (summary and events). No console errors or CSP violations.
 */
let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let mayaId: string;
const problems: string[] = [];

beforeAll(async () => {
  stack = await startStack({ webRoot: WEB_ROOT });
  browser = await launchChromium();
  // Maya signs in (auth.sign_in.succeeded) and is refused an admin-only page (access.denied).
  const maya = await stack.signIn('maya.patel@example.com');
  mayaId = (await maya.json<Me>('/api/v1/me')).person.id;
  expect((await maya.get('/api/v1/bug-reports')).status).toBe(403);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

async function signInAt(path: string): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  const opened = await context.newPage();
  let signedIn = false;
  opened.on('console', (message) => {
    const url = message.location().url;
    if (signedIn && message.type() === 'error' && (url === '' || url.startsWith(stack.baseUrl)))
      problems.push(`${opened.url()}: ${message.text()}`);
  });
  opened.on('pageerror', (error) => problems.push(`${opened.url()}: ${error.message}`));
  await opened.goto(`${stack.baseUrl}${path}`);
  await opened.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
  signedIn = true;
  await opened.getByRole('button', { name: 'Sign in as Priya Raman' }).click();
  await opened.waitForURL((url) => url.pathname === path);
  return opened;
}

/** LeafyGreen fields get their label ids in an effect after the first render: wait until they have them. */
async function settled() {
  await page.locator('main').first().waitFor();
  await expect
    .poll(() => page.locator('[aria-labelledby*="-undefined"], [id$="-undefined"]').count())
    .toBe(0);
}

async function choose(label: string, option: string) {
  await settled();
  await page
    .getByTestId('audit-filters')
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const actions = () =>
  page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));

describe('the audit log page', () => {
  it('shows the newest events, and narrows them by family and then action through the URL', async () => {
    page = await signInAt('/admin/audit');
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByTestId('audit-row').first().waitFor();
    expect(await actions()).toContain('access.denied');

    await choose('Family', 'auth');
    await page.waitForURL((url) => url.searchParams.get('action') === 'auth.');
    await expect.poll(async () => (await actions()).every((a) => a?.startsWith('auth.'))).toBe(true);

    await choose('Action', 'auth.sign_in.succeeded');
    await page.waitForURL((url) => url.searchParams.get('action') === 'auth.sign_in.succeeded');
    await expect.poll(async () => new Set(await actions())).toEqual(new Set(['auth.sign_in.succeeded']));

    const row = page.getByTestId('audit-row').filter({ hasText: 'Maya Patel' }).first();
    await row.getByRole('button', { name: /^Details of event/, expanded: false }).click();
    await row.getByRole('button', { name: /^Hide details of event/, expanded: true }).waitFor();
    expect(await page.getByTestId('audit-details-json').first().textContent()).toContain('"sessionId"');

    // The filter survives a reload: it is the URL.
    await page.reload();
    await expect.poll(async () => new Set(await actions())).toEqual(new Set(['auth.sign_in.succeeded']));
  });

  it("follows the actor's name to their access history, with a summary", async () => {
    const row = page.getByTestId('audit-row').filter({ hasText: 'Maya Patel' }).first();
    await row.getByRole('link', { name: 'Maya Patel' }).first().click();
    await page.waitForURL((url) => url.pathname === `/admin/audit/people/${mayaId}`);
    await page.getByRole('heading', { level: 1, name: 'Access history: Maya Patel' }).waitFor();
    const summary = page.getByTestId('access-summary');
    expect(await summary.textContent()).toContain('Manager');
    expect(await summary.textContent()).toMatch(/Live sessions\s*1/);
    await page.getByTestId('audit-row').first().waitFor();
    expect(await actions()).toEqual(expect.arrayContaining(['auth.sign_in.succeeded', 'access.denied']));

    await page.getByRole('button', { name: 'Everything' }).click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'all');
    expect(await page.getByRole('button', { name: 'Everything' }).getAttribute('aria-pressed')).toBe('true');
    expect(problems).toEqual([]);
  });
});
