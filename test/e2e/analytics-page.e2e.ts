import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analytics } from '../../src/contract/api/analytics.ts';
import { usageDays, usageEvents } from '../../src/server/db/schema.ts';
import type { TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';
import { openCaptureApp } from './capture-gate.ts';

/**
 * The analytics page in Chromium, as an admin (Priya): the dashboard announces its view, the KPI tiles show
 * exactly the API's numbers, and switching to ISO weeks updates the URL and the tables.
 */
let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
const CAPTURE = { 'x-bi-client': 'capture' };

async function settled(target: Page) {
  await target.locator('main').first().waitFor();
  await expect
    .poll(() => target.locator('[aria-labelledby*="-undefined"], [id$="-undefined"]').count())
    .toBe(0);
}

async function choose(target: Page, label: string, option: string) {
  await settled(target);
  await target.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await target.getByRole('option', { name: option, exact: true }).click();
}

const text = async (testId: string) => (await page.getByTestId(testId).textContent())?.trim();
const fromPage = (query = '') =>
  page.evaluate(async (q) => (await fetch(`/api/v1/analytics${q}`)).json(), query) as Promise<Analytics>;
const pct = (ratio: Analytics['adoption']) =>
  ratio.value === null ? '—' : `${(Math.round(ratio.value * 1000) / 10).toFixed(1)}%`;

describe('the analytics page', () => {
  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack());
    // Activity: Ari captures from the capture app (two insights today) and sends telemetry.
    const ari = await stack.signIn('ari.levy@example.com');
    const now = new Date().toISOString();
    const items = ['Wants a bulk export', 'Index builds are slow'].map((text) => ({
      id: randomUUID(),
      text,
      type: 'pain_point',
      sentiment: 'negative',
      priority: 'medium',
      productAreas: [],
      capturedAt: now,
    }));
    expect((await ari.post('/api/v1/insights/batch', { items }, CAPTURE)).status).toBe(200);
    const event = (kind: string, attrs: Record<string, string>) => ({
      id: randomUUID(),
      kind,
      value: 1,
      attrs,
      at: now,
    });
    const telemetry = [
      { ...event('tap_to_saved_ms', { mode: 'offline' }), value: 400 },
      { ...event('tap_to_saved_ms', { mode: 'online' }), value: 200 },
      { ...event('tap_to_saved_ms', { mode: 'online' }), value: 250 },
      event('sync_outcome', { result: 'created' }),
      event('sync_outcome', { result: 'failed' }),
    ];
    expect(
      (await ari.post('/api/v1/telemetry/capture', { appVersion: '1.0.0', events: telemetry }, CAPTURE))
        .status,
    ).toBe(202);

    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    let signedIn = false;
    page.on('console', (message) => {
      const url = message.location().url;
      if (!signedIn || message.type() !== 'error') return;
      // Our origin only (the identity provider's own pages are not under test here).
      if (url === '' || url.startsWith(stack.baseUrl)) problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
    await page.goto(`${stack.baseUrl}/admin/`);
    await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
    signedIn = true;
    await page.getByRole('button', { name: 'Sign in as Priya Raman' }).click();
    await page.waitForURL(`${stack.baseUrl}/admin/`);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
  });

  it('the dashboard announces its view once; the KPI tiles show the API numbers', async () => {
    await page.getByTestId('dashboard').waitFor();
    const views = () =>
      stack.db.database.db.select().from(usageEvents).where(eq(usageEvents.surface, 'dashboard'));
    await expect.poll(async () => (await views()).length).toBe(1);

    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.waitForURL(`${stack.baseUrl}/admin/analytics`);
    await page.getByTestId('analytics').waitFor();
    const api = await fromPage();
    expect(api.activeUsers.total.total).toBe(2);
    expect(api.captures.total.total).toBe(2);
    await expect.poll(() => text('kpi-active-users-value')).toBe(String(api.activeUsers.total.total));
    expect(await text('kpi-wau-value')).toBe(String(api.activeUsers.weekly.count));
    expect(await text('kpi-captures-value')).toBe(String(api.captures.total.total));
    expect(await text('kpi-offline-share-value')).toBe(pct(api.offline.offlineShare.total));
    expect(await text('kpi-offline-share-value')).toBe('33.3%');
    expect(await text('kpi-offline-share-note')).toContain('1 of 3');
    expect(await text('kpi-recovery-rate-value')).toBe('50.0%');
    expect(await text('kpi-adoption-value')).toBe(pct(api.adoption));
    // The tables carry the same numbers: the whole-range row of views, dashboard column.
    const dashboardViews = api.engagement.views.find((s) => s.key === 'dashboard')?.total;
    expect(dashboardViews).toBe(1);
    const viewsHead = await page.getByTestId('views-table').locator('thead th').allTextContents();
    const column = viewsHead.indexOf('Dashboard');
    const footer = page.getByTestId('views-table-total').locator('th, td');
    expect(await footer.nth(column).textContent()).toBe('1');
    expect(await page.getByTestId('active-users-table-row').count()).toBe(api.periods.length);
  });

  it('switching to ISO weeks updates the URL and the tables', async () => {
    await choose(page, 'Granularity', 'ISO week');
    await page.waitForURL(/\/admin\/analytics\?granularity=week$/);
    const weekly = await fromPage('?granularity=week');
    await expect.poll(() => page.getByTestId('active-users-table-row').count()).toBe(weekly.periods.length);
    const first = page.getByTestId('active-users-table-row').first().locator('th');
    expect(await first.textContent()).toContain(weekly.periods[0]?.label ?? 'none');
    expect(weekly.periods[0]?.label).toMatch(/^\d{4}-W\d{2}$/);
    const lastRow = page.getByTestId('active-users-table-row').last().locator('td').first();
    expect(await lastRow.textContent()).toBe(String(weekly.activeUsers.total.values.at(-1)));
    await choose(page, 'Slice', 'Team');
    await page.waitForURL(/granularity=week&slice=team$/);
    await expect.poll(() => page.getByTestId('analytics').getAttribute('class')).toBe('report-body');
    const head = await page.getByTestId('active-users-table').locator('thead th').allTextContents();
    expect(head).toContain('amer');
    expect(problems).toEqual([]);
  });

  it('the capture app names itself: opening it records the capture surface', async () => {
    const ben = await openCaptureApp(browser, stack, { who: 'Ben Carter' });
    try {
      const surfaces = async () =>
        (
          await stack.db.database.db.select().from(usageDays).where(eq(usageDays.personId, ben.personId))
        ).flatMap((row) => row.surfaces);
      await expect.poll(surfaces).toContain('capture');
      expect(ben.problems).toEqual([]);
    } finally {
      await ben.context.close();
    }
  });
});
