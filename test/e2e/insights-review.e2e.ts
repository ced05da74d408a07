import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight } from '../../src/contract/api/insights.ts';
import type { InsightActivity } from '../../src/contract/api/social.ts';
import { personFor, type Session, type TestStack } from '../helpers/stack.ts';
import { startBrowserStack } from './browser.ts';

/**
 * The insight review tool in a real browser: a manager filters and searches the list (the match highlighted in
 * the snippet), opens an insight in the drawer, writes a note that @mentions a colleague, reacts, and finds
 * both again after a reload; retags in bulk; exports the filtered list as CSV. A viewer reads the same
 * insight without any write controls. No console errors or CSP violations anywhere.
 */
let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Console errors, uncaught exceptions and CSP violations on our origin, with the page they happened on. */
const problems: string[] = [];
/** While set, the browser's own log line for this HTTP status is expected (a conflict the UI handles). */
let expectedStatus: number | null = null;

const stamp = Date.now().toString(36);
const DOC_TEXT = `E2E ${stamp}: the change streams resume token is undocumented for sharded clusters`;
const PAIN_TEXT = `E2E ${stamp}: vector search index builds take hours on large collections`;
const EMEA_TEXT = `E2E ${stamp}: EMEA developers ask about resume token retention`;
let docInsight: Insight;
let painInsight: Insight;
let maya: Page;
let ari: Session;
let ben: Session;

async function capture(who: Session, text: string, fields: Record<string, unknown>): Promise<Insight> {
  const response = await who.post('/api/v1/insights', {
    id: randomUUID(),
    text,
    productAreas: ['atlas'],
    sentiment: 'negative',
    priority: 'high',
    capturedAt: new Date(Date.now() - 60_000).toISOString(),
    ...fields,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Insight;
}

beforeAll(async () => {
  ({ stack, browser } = await startBrowserStack());
  const [a, b, fatima] = await Promise.all(['Ari', 'Ben', 'Fatima'].map((who) => stack.signIn(who)));
  if (a === undefined || b === undefined || fatima === undefined) throw new Error('sign-in failed');
  [ari, ben] = [a, b];
  docInsight = await capture(ari, DOC_TEXT, { type: 'documentation', tags: ['docs'] });
  painInsight = await capture(ben, PAIN_TEXT, { type: 'pain_point', productAreas: ['atlas_vector_search'] });
  // Another region's insight: outside Maya's scope, it must show up nowhere for her.
  await capture(fatima, EMEA_TEXT, { type: 'documentation' });
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
});

/** A browser for one person, signed in at `path`; problems are collected from the sign-in on. */
async function openAs(name: string, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  contexts.push(context);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  let signedIn = false;
  page.on('console', (message) => {
    const url = message.location().url;
    if (expectedStatus !== null && message.text().includes(`status of ${expectedStatus}`)) return;
    if (signedIn && message.type() === 'error' && (url === '' || url.startsWith(stack.baseUrl)))
      problems.push(`${name} ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${name} ${page.url()}: ${error.message}`));
  await page.goto(`${stack.baseUrl}${path}`);
  await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
  signedIn = true;
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL((url) => url.pathname.startsWith(path.split('?')[0] ?? path));
  await settled(page);
  return page;
}

/** LeafyGreen fields get their label ids in an effect after the first render: wait until they have. */
async function settled(page: Page) {
  await page.locator('main').first().waitFor();
  await expect
    .poll(() => page.locator('[aria-labelledby*="-undefined"], [id$="-undefined"]').count())
    .toBe(0);
}

/** Choose an option of a LeafyGreen Select by its label. */
async function choose(page: Page, label: string, option: string) {
  await settled(page);
  await page
    .getByTestId('insight-filters')
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const rows = (page: Page) => page.getByTestId('insight-row');
const rowTexts = async (page: Page) => (await rows(page).allTextContents()).join('\n');

describe('insight review in the admin app, in a real browser', () => {
  it('a manager filters and searches; the URL holds the filter; the match is highlighted', async () => {
    maya = await openAs('Maya Patel', '/admin/insights');
    await expect.poll(() => rowTexts(maya)).toContain(DOC_TEXT.slice(0, 50));
    const all = await rowTexts(maya);
    expect(all).toContain(PAIN_TEXT.slice(0, 50));
    expect(all).not.toContain(EMEA_TEXT.slice(0, 40));

    await choose(maya, 'Type', 'Documentation');
    await maya.waitForURL(/\/admin\/insights\?type=documentation$/);
    await expect.poll(() => rows(maya).count()).toBe(1);
    expect(await rowTexts(maya)).toContain(DOC_TEXT.slice(0, 50));

    // Back and forward move through filters.
    await maya.goBack();
    await expect.poll(() => rows(maya).count()).toBe(2);
    await maya.goForward();
    await expect.poll(() => rows(maya).count()).toBe(1);

    await maya.getByLabel('Search', { exact: true }).fill('resume token');
    await maya.getByRole('button', { name: 'Search', exact: true }).click();
    await maya.waitForURL(/q=resume\+token/);
    expect(new URL(maya.url()).searchParams.get('type')).toBe('documentation');
    const row = rows(maya).filter({ hasText: DOC_TEXT.slice(0, 30) });
    await expect.poll(() => rows(maya).count()).toBe(1);
    const marks = await row.getByTestId('snippet').locator('mark').allTextContents();
    expect(marks.map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(['resume', 'token']));
    await expect.poll(() => maya.getByTestId('insights-count').textContent()).toBe('Showing all 1');

    // A shared link opens the same list.
    const shared = maya.url();
    await maya.goto(`${stack.baseUrl}/admin/`);
    await maya.goto(shared);
    await expect.poll(() => rows(maya).count()).toBe(1);
  });

  it('opens the insight, adds a note with an @mention and a reaction; both persist after a reload', async () => {
    const listUrl = maya.url();
    await rows(maya).first().getByRole('link').first().click();
    await maya.waitForURL(new RegExp(`/admin/insights/${docInsight.id}\\?`));
    const drawer = maya.getByTestId('insight-drawer');
    await drawer.getByTestId('insight-text').waitFor();
    expect(await drawer.getByTestId('insight-text').textContent()).toBe(DOC_TEXT);
    // Focus moved into the drawer.
    expect(await maya.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);

    // Write a note, mentioning Ben through the suggestions.
    const composer = drawer.getByTestId('note-composer');
    const box = composer.getByRole('combobox');
    await box.click();
    await box.pressSequentially('Can you confirm with the driver team, @Be');
    const option = drawer.getByRole('option', { name: /Ben Carter/ });
    await option.waitFor();
    await box.press('Enter');
    await expect.poll(() => box.inputValue()).toBe('Can you confirm with the driver team, @Ben Carter ');
    await box.pressSequentially('thanks!');
    await composer.getByRole('button', { name: 'Add note' }).click();
    const note = drawer.getByTestId('note').filter({ hasText: 'confirm with the driver team' });
    await note.waitFor();
    expect(await note.locator('mark.mention').textContent()).toBe('@Ben Carter');
    await expect.poll(() => box.inputValue()).toBe('');

    // A reply joins the note's thread.
    const thread = drawer.getByTestId('thread').filter({ hasText: 'confirm with the driver team' });
    await thread.getByRole('button', { name: 'Reply' }).click();
    const reply = thread.getByTestId('reply-composer');
    await reply.getByRole('combobox').fill('Checked: it is missing from the sharding page.');
    await reply.getByRole('button', { name: 'Reply' }).click();
    await expect.poll(() => thread.getByTestId('note').count()).toBe(2);
    expect(await thread.locator('.thread__replies').textContent()).toContain(
      'missing from the sharding page',
    );

    // React.
    const like = drawer.getByTestId('reactions').getByRole('button', { name: 'Like: 0' });
    await like.click();
    await drawer.getByRole('button', { name: 'Like: 1' }).waitFor();
    expect(await drawer.getByRole('button', { name: 'Like: 1' }).getAttribute('aria-pressed')).toBe('true');

    // The server has both, with the mention as Ben's id.
    const activity = (await (
      await maya.request.get(`${stack.baseUrl}/api/v1/insights/${docInsight.id}/activity`)
    ).json()) as InsightActivity;
    const ben = personFor('Ben');
    const stored = activity.notes.find((n) => n.body.includes('driver team'));
    expect(stored?.mentions.map((m) => m.name)).toEqual([`${ben.givenName} ${ben.familyName}`]);
    expect(activity.notes.find((n) => n.body.includes('sharding page'))?.parentId).toBe(stored?.id);
    expect(activity.reactions.find((r) => r.reaction === 'like')).toMatchObject({ count: 1, mine: true });

    // After a reload the drawer opens from the URL with the note and the reaction.
    await maya.reload();
    await settled(maya);
    const again = maya.getByTestId('insight-drawer');
    const persisted = again.getByTestId('note').filter({ hasText: 'confirm with the driver team' });
    await persisted.waitFor();
    expect(await persisted.locator('mark.mention').textContent()).toBe('@Ben Carter');
    expect(await again.getByRole('button', { name: 'Like: 1' }).getAttribute('aria-pressed')).toBe('true');

    // Escape closes the drawer and returns to the filtered list.
    await again.getByRole('heading', { level: 2 }).focus();
    await maya.keyboard.press('Escape');
    await expect.poll(() => maya.url()).toBe(listUrl);
    expect(await maya.getByTestId('insight-drawer').count()).toBe(0);
  });

  it('retags the selected insights in bulk and shows what changed', async () => {
    await maya.goto(`${stack.baseUrl}/admin/insights`);
    await settled(maya);
    await expect.poll(() => rows(maya).count()).toBe(2);
    await maya.getByRole('checkbox', { name: 'Select all loaded insights' }).check();
    const bar = maya.getByTestId('bulk-bar');
    await expect.poll(() => bar.textContent()).toContain('2 selected');
    await bar.getByRole('button', { name: 'Retag or reclassify…' }).click();
    const dialog = maya.getByTestId('bulk-dialog');
    await dialog.getByLabel('Add tags').fill(`triaged-${stamp}`);
    await dialog.getByRole('button', { name: 'Apply to 2' }).click();
    await expect.poll(() => dialog.getByTestId('bulk-result').textContent()).toContain('Updated 2 insights');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => rowTexts(maya)).toContain(`#triaged-${stamp}`);
    // The tag filter finds both.
    await maya.goto(`${stack.baseUrl}/admin/insights?tags=triaged-${stamp}`);
    await expect.poll(() => rows(maya).count()).toBe(2);
  });

  it('exports the filtered list as CSV', async () => {
    await maya.goto(`${stack.baseUrl}/admin/insights?type=documentation`);
    await settled(maya);
    await expect.poll(() => rows(maya).count()).toBe(1);
    const [download] = await Promise.all([
      maya.waitForEvent('download'),
      maya.getByTestId('export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = (await readFile(await download.path())).toString('utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]?.replaceAll('"', '')).toMatch(/^id,captured_at,type,/);
    expect(lines).toHaveLength(2);
    expect(csv).toContain(docInsight.id);
    expect(csv).toContain(DOC_TEXT);
    expect(csv).not.toContain(painInsight.id);
    expect(csv).not.toContain(EMEA_TEXT);
  });

  it('edits with a conflict (theirs vs mine, keep mine) and runs the follow-up workflow', async () => {
    await maya.goto(`${stack.baseUrl}/admin/insights/${painInsight.id}`);
    await settled(maya);
    const drawer = maya.getByTestId('insight-drawer');
    await drawer.getByRole('button', { name: 'Edit…' }).click();
    const form = drawer.getByTestId('edit-form');
    await form.getByLabel('Priority').selectOption('critical');
    await form.getByLabel('Title').fill('Index builds are slow');

    // Meanwhile the author lowers the priority.
    const current = (await ben.json(`/api/v1/insights/${painInsight.id}`)) as unknown as Insight;
    const theirs = await ben.send('PATCH', `/api/v1/insights/${painInsight.id}`, {
      version: current.version,
      priority: 'low',
    });
    expect(theirs.status, await theirs.clone().text()).toBe(200);

    expectedStatus = 409;
    await form.getByRole('button', { name: 'Save changes' }).click();
    const conflict = form.getByTestId('edit-conflict');
    await conflict.waitFor();
    const priorityRow = conflict.getByRole('row', { name: /Priority/ });
    expect(await priorityRow.textContent()).toBe('PriorityLowCritical');
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(() => drawer.getByTestId('insight-facts').textContent()).toContain('Critical');
    expectedStatus = null;
    expect(await drawer.getByRole('heading', { level: 2 }).textContent()).toBe('Index builds are slow');

    const followUp = drawer.getByTestId('follow-up');
    await followUp.getByRole('button', { name: 'Flag for follow-up…' }).click();
    await followUp.getByLabel('Status').selectOption('in_progress');
    await followUp.getByLabel('Owner').fill('Ben');
    await followUp.getByRole('button', { name: /Ben Carter/ }).click();
    await followUp.getByLabel('Issue URL').fill('https://github.com/acme/search/issues/42');
    await expect.poll(() => followUp.textContent()).toContain('GitHub');
    await followUp.getByRole('button', { name: 'Save follow-up' }).click();
    await expect.poll(() => followUp.getByTestId('follow-up-status').textContent()).toBe('In progress');
    expect(await followUp.textContent()).toContain('Ben Carter');
    expect(
      await followUp.getByRole('link', { name: 'https://github.com/acme/search/issues/42' }).count(),
    ).toBe(1);

    // The list filters on it.
    await maya.keyboard.press('Escape');
    await maya.goto(`${stack.baseUrl}/admin/insights?followUpStatus=in_progress`);
    await expect.poll(() => rows(maya).count()).toBe(1);
    expect(await rows(maya).first().textContent()).toContain('In progress');
  });

  it('saves the filter as a shared view, applies, renames and deletes it', async () => {
    await maya.goto(`${stack.baseUrl}/admin/insights?type=documentation`);
    await settled(maya);
    const views = maya.getByTestId('saved-views');
    await views.locator('summary').click();
    await views.getByRole('button', { name: 'Save current filter as a view…' }).click();
    await views.getByLabel('View name').fill(`Docs ${stamp}`);
    await views.getByLabel('Share with everyone who can see these insights').check();
    await views.getByRole('button', { name: 'Save view' }).click();
    const view = views.getByTestId('saved-view').filter({ hasText: `Docs ${stamp}` });
    await view.waitFor();
    expect(await view.textContent()).toContain('Shared');

    await maya.goto(`${stack.baseUrl}/admin/insights`);
    await settled(maya);
    await expect.poll(() => rows(maya).count()).toBe(2);
    await views.locator('summary').click();
    await view.getByRole('link', { name: `Docs ${stamp}` }).click();
    await maya.waitForURL(/\/admin\/insights\?type=documentation$/);
    await expect.poll(() => rows(maya).count()).toBe(1);

    await view.getByRole('button', { name: 'Rename' }).click();
    await view.getByLabel(`New name for Docs ${stamp}`).fill(`Documentation ${stamp}`);
    await view.getByRole('button', { name: 'Save', exact: true }).click();
    const renamed = views.getByTestId('saved-view').filter({ hasText: `Documentation ${stamp}` });
    await renamed.waitFor();
    await renamed.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => views.getByTestId('saved-view').count()).toBe(0);
  });

  it('proposes near-duplicates; a merge hides the duplicate and an unmerge brings it back', async () => {
    const text = `E2E ${stamp}: Atlas Search autocomplete ignores diacritics in French product names`;
    const older = await capture(ari, text, { type: 'bug_report' });
    const newer = await capture(ben, `${text}, customers complained`, { type: 'bug_report' });
    await maya.goto(`${stack.baseUrl}/admin/duplicates`);
    await settled(maya);
    const pair = maya.getByTestId('duplicate-pair').filter({ hasText: 'ignores diacritics' });
    await pair.waitFor();
    expect(await pair.textContent()).toMatch(/\d+ % similar/);
    await pair.getByRole('button', { name: 'Merge, keep the older' }).click();
    await expect.poll(() => pair.count()).toBe(0);

    // The list counts the pair once, as the primary.
    await maya.goto(`${stack.baseUrl}/admin/insights?q=diacritics`);
    await settled(maya);
    await expect.poll(() => rows(maya).count()).toBe(1);
    expect(await rows(maya).first().getAttribute('data-id')).toBe(older.id);

    // The primary's drawer lists the merged duplicate; unmerging restores it.
    await rows(maya).first().getByRole('link').first().click();
    const merged = maya.getByTestId('merged-duplicates');
    await merged.waitFor();
    await expect.poll(() => merged.textContent()).toContain('Ben Carter');
    await merged.getByRole('button', { name: 'Unmerge' }).click();
    await expect.poll(() => merged.count()).toBe(0);
    await maya.keyboard.press('Escape');
    await expect.poll(() => rows(maya).count()).toBe(2);
    expect(await rows(maya).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toContain(
      newer.id,
    );
  });

  it('the mentioned colleague finds the note under their mentions, with a link to the insight', async () => {
    const benPage = await openAs('Ben Carter', '/admin/insights');
    const mentions = benPage.getByTestId('my-mentions');
    await mentions.locator('summary').click();
    const item = mentions.locator('li').filter({ hasText: 'confirm with the driver team' });
    await item.waitFor();
    expect(await item.locator('mark.mention').textContent()).toBe('@Ben Carter');
    await item.getByRole('link').click();
    await benPage.waitForURL(new RegExp(`/admin/insights/${docInsight.id}$`));
    await benPage.getByTestId('insight-drawer').getByTestId('insight-text').waitFor();
  });

  it('a viewer reads the insight, its note and reactions, without any write controls', async () => {
    const victor = await openAs('Victor Chen', `/admin/insights/${docInsight.id}`);
    const drawer = victor.getByTestId('insight-drawer');
    await drawer.getByTestId('note').first().waitFor();
    expect(await drawer.getByTestId('note-composer').count()).toBe(0);
    expect(await drawer.getByTestId('reactions').getByRole('button').count()).toBe(0);
    expect(await drawer.getByRole('button', { name: 'Edit…' }).count()).toBe(0);
    await victor.keyboard.press('Escape');
    await expect.poll(() => rows(victor).count()).toBeGreaterThan(0);
    expect(await victor.getByRole('checkbox').count()).toBe(0);
  });

  it('showed no console errors and no CSP violations on any page', () => {
    expect(problems).toEqual([]);
  });
});
