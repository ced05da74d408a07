import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPem } from '../../src/server/modules/audit/audit.keys.ts';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';
import { launchChromium } from './browser.ts';

/**
 * The integrity panel at the top of /admin/audit in a real browser: never verified → "Verify now" → verified;
 * the OCSF export downloads for a date range; a tampered event shows as "Broken at event N". No console errors.
 */
let stack: TestStack;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  stack = await startStack({ webRoot: WEB_ROOT, env: { AUDIT_SIGNING_KEY: generateSigningKeyPem() } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the audit integrity panel', () => {
  it('verifies on demand, downloads the export and shows a broken chain', async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
    });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${stack.baseUrl}/admin/audit`);
    await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    await page.getByRole('button', { name: 'Sign in as Priya Raman' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/audit');
    // From here on (the identity provider's page has no favicon), the app logs no errors.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${message.text()} ${message.location().url}`);
    });

    const panel = page.getByTestId('audit-integrity');
    await panel.getByText('Never verified').waitFor();
    await panel.getByText('none yet', { exact: false }).first().waitFor();
    await panel.getByRole('button', { name: 'Verify now' }).click();
    await panel.getByText('Verified', { exact: true }).waitFor();
    await expect
      .poll(() => panel.getByTestId('integrity-verify-result').textContent())
      .toMatch(/^Verified just now/);

    const today = new Date().toISOString().slice(0, 10);
    await panel.getByLabel('From').fill(today);
    const link = panel.getByTestId('integrity-download');
    expect(await link.getAttribute('href')).toBe(`/api/v1/audit/export?from=${today}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`builder-insights-audit-${today}-head.ocsf.jsonl`);
    const lines = readFileSync((await download.path()) ?? '', 'utf8')
      .trimEnd()
      .split('\n');
    const events = lines.map((line) => JSON.parse(line));
    expect(events.find((e) => e.unmapped.action === 'auth.sign_in.succeeded')).toMatchObject({
      class_uid: 3002,
      activity_name: 'Logon',
    });

    await panel.getByLabel('To (including that day)').fill('2001-01-01');
    await panel.getByRole('alert').getByText('"To" must not be before "From".').waitFor();

    const db = stack.db.database.db;
    await db.execute(sql`alter table audit_events disable trigger user`);
    await db.execute(sql`update audit_events set ip = '10.9.9.9' where seq = 1`);
    await db.execute(sql`alter table audit_events enable trigger user`);
    await panel.getByRole('button', { name: 'Verify now' }).click();
    await panel.getByText('Broken at event 1', { exact: true }).waitFor();
    await panel
      .getByTestId('integrity-broken')
      .getByText('an event was modified after it was written', { exact: false })
      .waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
