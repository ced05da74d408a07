import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, DecisionList } from '../../src/contract/api/decisions.ts';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { launchChromium } from './browser.ts';

/**
 * The decision register in a real browser: an admin (Priya) filters the seeded register by status and owner
 * (the filter lives in the URL), opens a decision, edits it (a new version in its history), meets a 409 when
 * someone changed it meanwhile and reloads, and adds a new decision. A viewer (Victor) reads without edit
 * controls. No console errors or CSP violations.
 */
let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page;
let api: Session; // Priya through the API: "someone else" editing meanwhile
const problems: string[] = [];
/** While set, the browser's own log line for this HTTP status is expected (a conflict the UI handles). */
let expectedStatus: number | null = null;

beforeAll(async () => {
  stack = await startStack({ webRoot: WEB_ROOT });
  browser = await launchChromium();
  api = await stack.signIn('Priya', { auth: 'mfa' });
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
});

async function signInAt(path: string, who: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  const opened = await context.newPage();
  let signedIn = false;
  opened.on('console', (message) => {
    const url = message.location().url;
    if (expectedStatus !== null && message.text().includes(`status of ${expectedStatus}`)) return;
    if (signedIn && message.type() === 'error' && (url === '' || url.startsWith(stack.baseUrl)))
      problems.push(`${opened.url()}: ${message.text()}`);
  });
  opened.on('pageerror', (error) => problems.push(`${opened.url()}: ${error.message}`));
  await opened.goto(`${stack.baseUrl}${path}`);
  await opened.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
  signedIn = true;
  await opened.getByRole('button', { name: `Sign in as ${who}` }).click();
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
    .getByRole('group', { name: 'Filter decisions' })
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .click();
  // The listbox of this select only: the previous select's list may still be closing.
  await page
    .getByRole('listbox', { name: label })
    .getByRole('option', { name: option, exact: true })
    .filter({ visible: true })
    .click();
}

const rowTitles = () =>
  page.getByTestId('decision-row').evaluateAll((rows) => rows.map((row) => row.children[2]?.textContent));

describe('the decision register page', () => {
  it('lists the seeded register and narrows it by status and owner through the URL', async () => {
    page = await signInAt('/admin/decisions', 'Priya Raman');
    await page.getByRole('heading', { level: 1, name: 'Decisions' }).waitFor();
    await expect.poll(() => page.getByTestId('decision-row').count()).toBe(9);

    await choose('Status', 'Drafted');
    await page.waitForURL((url) => url.searchParams.get('status') === 'drafted');
    await expect
      .poll(rowTitles)
      .toEqual(['First Kanopy runtime boundary', 'Which services belong in Kanopy first']);

    await choose('Owner', 'Identity and Security');
    await page.waitForURL((url) => url.searchParams.get('owner') === 'Identity and Security');
    await page.getByTestId('decisions-empty').waitFor();

    await choose('Status', 'All');
    await expect.poll(() => page.getByTestId('decision-row').count()).toBe(3);
    await page.reload();
    await expect.poll(() => page.getByTestId('decision-row').count()).toBe(3);
  });

  it('opens a decision, edits it into a new version, and handles a change made meanwhile', async () => {
    await page.getByRole('link', { name: 'Okta SSO path and claims model' }).click();
    await page.waitForURL((url) => /^\/admin\/decisions\/[0-9a-f-]{36}$/.test(url.pathname));
    const id = page.url().split('/').at(-1) as string;
    await page.getByRole('heading', { level: 1, name: /^DEC-1 · Okta SSO path/ }).waitFor();
    await expect.poll(() => page.getByTestId('decision-version').count()).toBe(1);

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Next action', { exact: true }).fill('Book the identity review with Security');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('decision-version').count()).toBe(2);
    expect(await page.getByTestId('decision-facts').textContent()).toContain('Book the identity review');

    // The edit form is opened at version 2; someone else saves version 3 meanwhile.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Due date', { exact: true }).fill('2027-03-31');
    const other = await api.send('PATCH', `/api/v1/decisions/${id}`, { version: 2, owner: 'Identity team' });
    expect(other.status, await other.clone().text()).toBe(200);
    expectedStatus = 409;
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expectedStatus = null;
    expect(await conflict.textContent()).toMatch(/changed by Priya Raman meanwhile.*— reload/);
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await page.getByTestId('rebased').waitFor();
    expect(await page.getByLabel('Owner', { exact: true }).inputValue()).toBe('Identity team');
    expect(await page.getByLabel('Due date', { exact: true }).inputValue()).toBe('2027-03-31');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('decision-version').count()).toBe(4);
    const saved = await api.json<Decision>(`/api/v1/decisions/${id}`);
    expect(saved).toMatchObject({ version: 4, owner: 'Identity team', dueDate: '2027-03-31' });
  });

  it('adds a decision that depends on another', async () => {
    await page.getByRole('link', { name: '← All decisions' }).click();
    await page.getByRole('link', { name: 'New decision' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/decisions/new');
    await page.getByLabel('Decision', { exact: true }).fill('Pick the pilot teams');
    await page.getByLabel('Workstream', { exact: true }).fill('Org-aware access');
    await page.getByLabel('Owner', { exact: true }).fill('Builder Relations Ops and Org Systems');
    await page.getByLabel('Status', { exact: true }).selectOption('needs_validation');
    await page.getByLabel(/^DEC-2 · /).check();
    // Decided without a direction is refused before sending.
    await page.getByLabel('Status', { exact: true }).selectOption('decided');
    await page.getByRole('button', { name: 'Add to the register' }).click();
    await page.getByTestId('form-errors').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('needs_validation');
    await page.getByRole('button', { name: 'Add to the register' }).click();
    await page.getByRole('heading', { level: 1, name: 'DEC-10 · Pick the pilot teams' }).waitFor();
    expect(await page.getByTestId('decision-facts').textContent()).toContain('DEC-2');
    const list = await api.json<DecisionList>('/api/v1/decisions');
    expect(list.items.at(-1)).toMatchObject({ ref: 'DEC-10', status: 'needs_validation' });
  });

  it('is read-only for a viewer', async () => {
    page = await signInAt('/admin/decisions', 'Victor Chen');
    await expect.poll(() => page.getByTestId('decision-row').count()).toBe(10);
    expect(await page.getByRole('link', { name: 'New decision' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Pick the pilot teams' }).click();
    await page.getByRole('heading', { level: 1, name: /DEC-10/ }).waitFor();
    await expect.poll(() => page.getByTestId('decision-version').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
