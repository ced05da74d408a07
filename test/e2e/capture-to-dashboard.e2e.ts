import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The count of one type in the dashboard's "By type" table (under its chart). */
async function typeCount(page: Page, label: string): Promise<number> {
  const row = page
    .getByTestId('dist-type')
    .locator('tr')
    .filter({ has: page.locator('th', { hasText: label }) });
  return Number((await row.locator('td').first().textContent())?.trim());
}

/** From any protected page: the app sends us to the dev IdP, we pick the person, and land back. */
async function signInAs(page: Page, name: string, landing: RegExp) {
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL(landing);
}

describe('capture → dashboard, in a real browser', () => {
  it('an advocate captures an insight on the phone UI; their manager sees it counted on the dashboard', async () => {
    // The manager's view before.
    const managerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const manager = await managerContext.newPage();
    await manager.goto(`${stack.baseUrl}/admin/`);
    await manager.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    await signInAs(manager, 'Maya Patel', /\/admin\/$/);
    const total = manager.getByTestId('metric-insights-value');
    await expect.poll(async () => (await total.textContent())?.trim()).toMatch(/^\d+$/);
    const before = Number(await total.textContent());
    const painPoints = () => typeCount(manager, 'Pain Point');
    const painBefore = await painPoints();
    await expect.poll(async () => manager.getByTestId('scope-label').textContent()).toContain('amer');

    // The advocate, on a phone-sized screen.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const advocate = await phone.newPage();
    await advocate.goto(`${stack.baseUrl}/capture/`);
    await signInAs(advocate, 'Ari Levy', /\/capture\/$/);
    const tabs = advocate.getByRole('navigation', { name: 'Tabs' });
    await tabs.getByRole('link', { name: 'Capture', exact: true }).click();
    await advocate.getByRole('heading', { level: 1, name: 'Capture' }).waitFor();
    const text = `E2E ${Date.now()}: change streams need clearer resume-token docs`;
    await advocate.locator('textarea[name="text"]').fill(text);
    await advocate.getByRole('button', { name: 'Pain Point', exact: true }).click();
    await advocate.getByRole('button', { name: 'Negative', exact: true }).click();
    await advocate.getByRole('button', { name: 'High', exact: true }).click();
    await advocate.getByRole('button', { name: 'Atlas Search', exact: true }).click();
    for (const chip of ['Pain Point', 'Negative', 'High', 'Atlas Search']) {
      await expect
        .poll(() => advocate.getByRole('button', { name: chip, exact: true }).getAttribute('aria-pressed'))
        .toBe('true');
    }
    await advocate.getByRole('button', { name: 'Save insight' }).click();
    await expect
      .poll(async () => advocate.getByRole('status').first().textContent())
      .toBe('Saved ✓ — syncing');
    await expect.poll(async () => advocate.locator('textarea[name="text"]').inputValue()).toBe('');
    // Synced: nothing left on the phone, and the advocate's Impact tab lists it.
    await expect
      .poll(() => advocate.getByTestId('sync-indicator').getAttribute('data-pending'), { timeout: 20_000 })
      .toBe('0');
    await tabs.getByRole('link', { name: 'Impact', exact: true }).click();
    await expect.poll(async () => advocate.getByText(text.slice(0, 60)).count()).toBeGreaterThan(0);

    // Signing out (nothing unsynced, so no warning) ends the app session and the IdP session.
    const dialogs: string[] = [];
    advocate.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await tabs.getByRole('link', { name: 'Profile', exact: true }).click();
    await advocate.getByRole('button', { name: 'Sign out' }).click();
    await advocate.waitForURL(new RegExp(`^${stack.idp.issuer}/session/end`));
    expect(dialogs).toEqual([]);
    await advocate.getByRole('button', { name: 'Yes, sign me out' }).click();
    await advocate.waitForURL(`${stack.baseUrl}/`);
    expect(await advocate.getByRole('link', { name: 'Sign in with SSO' }).count()).toBe(1);
    const me = await advocate.request.get(`${stack.baseUrl}/api/v1/me`);
    expect(me.status()).toBe(401);

    // The manager's dashboard counts it: one more insight, one more pain point, Ari among the contributors.
    await manager.reload();
    await expect
      .poll(async () => Number(await manager.getByTestId('metric-insights-value').textContent()))
      .toBe(before + 1);
    expect(await painPoints()).toBe(painBefore + 1);
    const ari = manager.getByTestId('top-contributors-row').filter({ hasText: 'Ari Levy' });
    expect(await ari.count()).toBe(1);

    // Another team's manager does not see it.
    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await other.goto(`${stack.baseUrl}/admin/`);
    await signInAs(other, 'Erik Lindqvist', /\/admin\/$/);
    await expect
      .poll(async () => (await other.getByTestId('metric-insights-value').textContent())?.trim())
      .toMatch(/^\d+$/);
    expect(await other.getByTestId('top-contributors-row').filter({ hasText: 'Ari Levy' }).count()).toBe(0);

    await Promise.all([managerContext.close(), phone.close(), otherContext.close()]);
  });
});
