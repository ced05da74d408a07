import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../src/contract/api/imports.ts';
import { eventAssignments } from '../../src/server/db/schema.program.ts';
import { events, people } from '../../src/server/db/schema.ts';
import type { TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';
import { type CaptureApp, expectClean, openCaptureApp, openTab } from './capture-gate.ts';

/**
 * The PMO import page in a real browser, as a manager (Maya): a messy CSV (emoji and accents in headers and
 * values, four date formats, blank rows, a duplicate, an unreadable date, an unknown status, one header the
 * matcher cannot place) → map that column by hand → preview counts and the row warning → apply with progress →
 * the active events reach an advocate's capture picker → the same file again changes nothing and the
 * hand-mapped header is now learned. No console errors or CSP violations anywhere.
 */
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'pmo-messy.csv');
const HAND_MAPPED = 'Kategorie ✨';
const ACTIVE = ['Atlas Build & Learn — Chicago', 'Hackathon Montréal'];
const INACTIVE = ['Vector Search Workshop São Paulo 🇧🇷', 'Office Hours Austin'];

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let maya: Page;
let ari: CaptureApp | undefined;
const problems: string[] = [];

/** Maya, signed in through the dev IdP, on `path`; console errors and CSP violations go to `problems`. */
async function openAsMaya(target: string): Promise<{ context: BrowserContext; page: Page }> {
  const newContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await newContext.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(
        `CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`,
      ),
    );
  });
  const page = await newContext.newPage();
  let signedIn = false;
  page.on('console', (message) => {
    const url = message.location().url;
    if (!signedIn || message.type() !== 'error') return;
    if (url === '' || url.startsWith(stack.baseUrl)) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  await page.goto(`${stack.baseUrl}${target}`);
  await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
  // From the sign-in on: the first visit's 401 (which sends the browser to sign in) is how it should be.
  signedIn = true;
  await page.getByRole('button', { name: 'Sign in as Maya Patel' }).click();
  await page.waitForURL(`${stack.baseUrl}${target}`);
  return { context: newContext, page };
}

const mappingRow = (header: string): Locator =>
  maya.locator(`[data-testid="mapping-row"][data-header="${header}"]`);
const badgeOf = async (header: string) =>
  (await mappingRow(header).getByTestId('match-badge').textContent())?.trim();
const count = async (key: string) =>
  Number((await maya.getByTestId(`count-${key}`).locator('strong').textContent())?.trim());

async function upload(): Promise<void> {
  await maya.getByLabel('PMO spreadsheet (.csv)').setInputFiles(FIXTURE);
  await mappingRow(HAND_MAPPED).waitFor();
}

/** The import the page shows, as the API answers it (the UI's numbers are checked against the same truth). */
async function currentImport(): Promise<ImportPreview> {
  const id = await maya.evaluate(() => {
    const stored = window.sessionStorage.getItem('bi.admin.draft.event-import');
    return stored === null ? null : (JSON.parse(stored) as string);
  });
  if (id === null) throw new Error('no import is open');
  const response = await context.request.get(`${stack.baseUrl}/api/v1/event-imports/${id}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as ImportPreview;
}

describe('PMO event import in a real browser', () => {
  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack());
    // The advocates the sheet assigns are active people of the org: they signed in, and the org sync (SCIM or
    // the HR feed, not part of this test) confirmed them.
    const advocates = ['ari.levy', 'ben.carter', 'camila.reyes'].map((login) => `${login}@example.com`);
    for (const email of advocates) await stack.signIn(email);
    await stack.db.database.db
      .update(people)
      .set({ status: 'active' })
      .where(inArray(people.email, advocates));
    ({ context, page: maya } = await openAsMaya('/admin/imports'));
    await maya.getByRole('heading', { level: 1, name: 'Import events' }).waitFor();
  });
  afterAll(async () => {
    await ari?.context.close();
    await context?.close();
    await browser?.close();
    await stack?.close();
  });

  it('maps the messy headers, and the one it cannot place is mapped by hand', async () => {
    await upload();
    expect(await badgeOf('Évent Náme 🎉')).toBe('Exact');
    expect(await badgeOf('Start dt')).toMatch(/^Fuzzy \d{2,3}%$/);
    expect(await badgeOf('DA Onsite 👥')).toBe('Exact');
    expect(await badgeOf('Active')).toBe('Exact');
    expect(await badgeOf(HAND_MAPPED)).toBe('Not mapped');
    const select = maya.getByLabel(`Field for column ${HAND_MAPPED}`);
    expect(await select.inputValue()).toBe('');

    await select.selectOption({ label: 'Event type' });
    await expect.poll(() => badgeOf(HAND_MAPPED)).toBe('Manual');
    expect(await select.inputValue()).toBe('event_type');
    expect(await maya.getByTestId('missing-required').count()).toBe(0);
    expect((await currentImport()).columns.find((c) => c.header === HAND_MAPPED)?.field).toBe('event_type');
  });

  it('previews the counts and shows the row warning and the row error', async () => {
    await expect.poll(() => count('create')).toBe(4);
    expect(await count('totalRows')).toBe(8);
    expect(await count('update')).toBe(0);
    expect(await count('unchanged')).toBe(0);
    expect(await count('error')).toBe(1);
    expect(await count('duplicateInFile')).toBe(1);
    expect(await count('blank')).toBe(2);
    expect(await count('warnings')).toBe(1);

    await maya.getByLabel('Errors and warnings').check();
    const rows = maya.getByTestId('preview-row');
    // The row with a warning, the repeated row and the row with an error (lines as the spreadsheet numbers them).
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-line')))).toEqual([
      '5',
      '8',
      '9',
    ]);
    const repeated = maya.locator('[data-testid="preview-row"][data-line="8"]');
    expect(await repeated.getAttribute('data-action')).toBe('duplicate_in_file');
    expect(await repeated.getByTestId('row-error').textContent()).toContain('line 2');
    const warned = maya.locator('[data-testid="preview-row"][data-line="5"]');
    expect(await warned.getAttribute('data-action')).toBe('create');
    expect(await warned.textContent()).toContain('Hackathon Montréal');
    expect(await warned.getByTestId('row-warning').textContent()).toMatch(/^Status:.*who knows/);
    const failed = maya.locator('[data-testid="preview-row"][data-line="9"]');
    expect(await failed.getAttribute('data-action')).toBe('error');
    expect(await failed.getByTestId('row-error').textContent()).toMatch(/^Start date:.*sometime soon/);

    await maya.getByLabel('All rows').check();
    await expect.poll(() => rows.count()).toBe(8);
    expect(await maya.getByTestId('rows-range').textContent()).toBe('Rows 1–8 of 8');
  });

  it('applies with progress to done, and the events are stored as mapped', async () => {
    expect(await maya.getByLabel('Remember my column choices for next time').isChecked()).toBe(true);
    await maya.getByRole('button', { name: 'Apply import' }).click();
    await maya.getByTestId('import-result').waitFor();
    expect(await maya.getByTestId('import-current').getAttribute('data-status')).toBe('applied');
    expect(await maya.getByTestId('import-result').textContent()).toContain('4 events created');
    const done = await currentImport();
    expect(done.status).toBe('applied');
    expect(done.processedRows).toBe(done.counts.totalRows);
    const link = maya.getByTestId('import-result').getByRole('link', { name: 'Open the events' });
    expect(await link.getAttribute('href')).toBe('/admin/events');

    const db = stack.db.database.db;
    const stored = await db
      .select({ id: events.id, name: events.name, type: events.eventType, active: events.isActive })
      .from(events)
      .where(inArray(events.name, [...ACTIVE, ...INACTIVE]));
    expect(stored.map((e) => [e.name, e.type, e.active]).sort()).toEqual(
      [
        ['Atlas Build & Learn — Chicago', 'build_and_learn', true],
        ['Hackathon Montréal', 'hackathon', true],
        ['Office Hours Austin', 'office_hours', false],
        ['Vector Search Workshop São Paulo 🇧🇷', 'workshop_webinar', false],
      ].sort(),
    );
    const chicago = stored.find((e) => e.name === ACTIVE[0]);
    const assigned = await db
      .select({ email: people.email, role: eventAssignments.role })
      .from(eventAssignments)
      .innerJoin(people, eq(people.id, eventAssignments.personId))
      .where(eq(eventAssignments.eventId, chicago?.id ?? ''));
    expect(assigned).toEqual([{ email: 'ari.levy@example.com', role: 'on_site' }]);

    // The side panels follow: the import in the history, the hand-made choice among the learned names.
    await expect.poll(() => maya.getByTestId('history-item').first().textContent()).toContain('Applied');
    await expect
      .poll(() => maya.getByTestId('alias-item').allTextContents())
      .toContainEqual(expect.stringContaining(`${HAND_MAPPED} → Event type`));
  });

  it("an advocate sees the imported active events in the capture app's event picker", async () => {
    ari = await openCaptureApp(browser, stack, { who: 'Ari Levy' });
    await openTab(ari.page, 'Context');
    const list = ari.page.locator('ul.events');
    await expect.poll(() => list.textContent()).toContain(ACTIVE[0]);
    const text = (await list.textContent()) ?? '';
    expect(text).toContain(ACTIVE[1]);
    for (const name of INACTIVE) expect(text).not.toContain(name);
    expectClean(ari, stack);
  });

  it('the same file again changes nothing, and the hand-mapped header is now learned', async () => {
    await upload();
    await expect.poll(() => badgeOf(HAND_MAPPED)).toBe('Learned');
    expect(await maya.getByLabel(`Field for column ${HAND_MAPPED}`).inputValue()).toBe('event_type');
    await expect.poll(() => count('unchanged')).toBe(4);
    expect(await count('create')).toBe(0);
    expect(await count('update')).toBe(0);
    expect(await maya.getByTestId('import-current').getAttribute('data-status')).toBe('previewed');
    const actions = await maya
      .getByTestId('preview-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
    expect(actions.filter((a) => a === 'create' || a === 'update')).toEqual([]);
  });

  it('showed no console errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
