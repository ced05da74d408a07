import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestPreview } from '../../src/contract/api/digest.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { TAXONOMY_VERSION } from '../../src/contract/taxonomy.ts';
import { insights } from '../../src/server/db/schema.ts';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { type FakeProvider, startFakeProvider } from '../helpers/fake-provider.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { launchChromium } from './browser.ts';

/**
 * Two program-operations admin pages in a real browser.
 * - Slack digest: a manager (Maya) previews last week's digest in her scope (its numbers, links to the insights
 *   and to the dashboard for that week), sends it to a local receiver standing in for Slack's incoming webhook
 *   (exactly one POST, Block Kit with a header), and sees the run as sent. An advocate (Ari) is not offered it.
 * - Bug triage: Ari reports a bug through the API; an admin (Priya) sets its priority, assigns it to herself,
 *   moves it to In progress and adds a note; after a reload all of it is still there.
 * No console errors or CSP violations anywhere.
 */
let stack: TestStack;
let browser: Browser;
let slack: FakeProvider;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const DAY = 86_400_000;
// The webhook URL is the channel's credential: the page must never show it.
const WEBHOOK_PATH = '/services/T0E2E/B0E2E/e2e-webhook-secret';
const stamp = Date.now().toString(36);
const BUG_TEXT = `E2E ${stamp}: the sync badge stays orange after the queue is empty`;
const NOTE = `Reproduced on ${stamp}: the badge listens to the wrong event; fix in 1.8.`;
let ariApi: Session;
let ariId: string;
const ids: Record<string, string> = {};

/** The previous full ISO week (Monday to Sunday, UTC), as the digest counts it, and the week before. */
function previousIsoWeek(now: Date) {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = midnight - ((now.getUTCDay() + 6) % 7) * DAY - 7 * DAY;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const short = (ms: number) =>
    new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const sunday = monday + 6 * DAY;
  return {
    monday,
    start: day(monday),
    end: day(sunday),
    label: `Week of ${short(monday)} – ${short(sunday)} ${new Date(sunday).getUTCFullYear()}`,
  };
}
const WEEK = previousIsoWeek(new Date());
/** `days` days and `hour` hours after last week's Monday 00:00 UTC (negative: the week before). */
const at = (days: number, hour: number) => new Date(WEEK.monday + days * DAY + hour * 3_600_000);

type Seed = [key: string, days: number, type: string, sentiment: string, priority: string, text: string];
// biome-ignore format: one insight per line reads as a table
const SEED: Seed[] = [
  ['crash', 1, 'bug_report', 'negative', 'critical', `E2E ${stamp}: driver crashes on reconnect after failover`],
  ['index', 2, 'pain_point', 'negative', 'high', `E2E ${stamp}: index builds block writes for minutes`],
  ['praise', 5, 'praise', 'positive', 'low', `E2E ${stamp}: loves the new schema view`],
  // The week before: the digest compares against it.
  ['before', -4, 'question', 'neutral', 'medium', `E2E ${stamp}: how do I size a search node?`],
];

/** Ari's insights, written straight to the database (the digest reads what is stored, however it came). */
async function seedInsights() {
  await stack.db.database.db.insert(insights).values(
    SEED.map(([key, days, type, sentiment, priority, text]) => {
      ids[key] = randomUUID();
      return {
        id: ids[key],
        authorId: ariId,
        text,
        type,
        sentiment,
        priority,
        source: 'capture' as const,
        taxonomyVersion: TAXONOMY_VERSION,
        capturedAt: at(days, 10),
      };
    }),
  );
}

beforeAll(async () => {
  // Slack's incoming webhook, played by a local receiver that records every request and answers "ok".
  slack = await startFakeProvider((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  stack = await startStack({
    webRoot: WEB_ROOT,
    env: { SLACK_DIGEST_WEBHOOK_URL: `${slack.origin}${WEBHOOK_PATH}` },
  });
  browser = await launchChromium();
  ariApi = await stack.signIn('ari.levy@example.com');
  ariId = (await ariApi.json<Me>('/api/v1/me')).person.id;
  await seedInsights();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
  await slack?.close();
});

/** A browser for one person, signed in at `path`; problems are collected from the sign-in on. */
async function openAs(name: string, path: string, auth?: 'mfa'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  const page = await context.newPage();
  // The first visit's 401 (which sends the browser to sign in) is how it should be: count from the sign-in on.
  let signedIn = false;
  page.on('console', (message) => {
    const url = message.location().url;
    if (signedIn && message.type() === 'error' && (url === '' || url.startsWith(stack.baseUrl)))
      problems.push(`${name} ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${name} ${page.url()}: ${error.message}`));
  await page.goto(`${stack.baseUrl}${path}`);
  await page.waitForURL(new RegExp(`^${stack.idp.issuer}/interaction/`));
  if (auth !== undefined) await page.locator('select[name="auth"]').selectOption(auth);
  signedIn = true;
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL((url) => url.pathname === path);
  await page.locator('main').first().waitFor();
  return page;
}

/**
 * LeafyGreen form fields get their label ids in an effect after the first render: until then every field's
 * label is "…-label-undefined" and labels resolve to the wrong field. Wait for the page's fields to settle.
 */
async function settled(page: Page) {
  await page.locator('main').first().waitFor();
  await expect
    .poll(() => page.locator('[aria-labelledby*="-undefined"], [id$="-undefined"]').count())
    .toBe(0);
}

/** Choose an option of a LeafyGreen Select (found by its label inside `scope`). */
async function choose(page: Page, scope: ReturnType<Page['locator']>, label: string, option: string) {
  await settled(page);
  await scope.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const pagesNav = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
const posts = () => slack.seen.filter((request) => request.method === 'POST');

describe('the Slack digest page', () => {
  let maya: Page;

  it("a manager previews last week's digest in her scope, with links to the insights and the dashboard", async () => {
    maya = await openAs('Maya Patel', '/admin/digest');
    expect(await pagesNav(maya).getByRole('link', { name: 'Slack digest' }).count()).toBe(1);
    await expect
      .poll(() => maya.getByRole('heading', { level: 3 }).first().textContent())
      .toBe(`Preview: ${WEEK.label}`);
    const main = maya.locator('main');
    expect(await main.textContent()).toContain('A Slack channel is configured.');
    expect(await maya.content()).not.toContain(WEBHOOK_PATH);

    const blocks = maya.getByTestId('digest-blocks');
    expect(await blocks.getByRole('heading', { level: 2 }).textContent()).toBe(
      `Builder Insights weekly digest: ${WEEK.label}`,
    );
    const digest = (await blocks.textContent()) ?? '';
    expect(digest).toContain(`${WEEK.start} to ${WEEK.end} (UTC)`);
    // Three insights last week against one the week before.
    expect(digest).toContain('3 insights (+200% vs 1 the week before)');
    expect(digest).toContain('Negative: 2');
    expect(digest).toContain('Positive: 1');
    // The critical and high negative ones, critical first, each linking to the insight in the admin app.
    const quoted = blocks.getByRole('link', { name: /^E2E .*: (driver|index)/ });
    expect(await quoted.evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
      `${stack.baseUrl}/admin/insights/${ids.crash}`,
      `${stack.baseUrl}/admin/insights/${ids.index}`,
    ]);
    expect(await blocks.getByRole('link', { name: 'Open the dashboard' }).getAttribute('href')).toBe(
      `${stack.baseUrl}/admin/?period=week&at=${WEEK.start}`,
    );
    expect(await maya.getByText('No digest has been sent yet.').count()).toBe(1);
    expect(posts()).toHaveLength(0);
  });

  it('"Send now" asks first, then posts exactly the preview to the webhook once; the run shows as sent', async () => {
    await maya.getByRole('button', { name: 'Send now' }).click();
    expect(await maya.getByText('to the Slack channel now?').textContent()).toMatch(
      /^Post this digest \(.+\) to the Slack channel now\?$/,
    );
    // Asking is not sending.
    expect(posts()).toHaveLength(0);
    await maya.getByRole('button', { name: 'Yes, send it' }).click();
    await expect
      .poll(() => maya.getByRole('status').filter({ hasText: 'Sent to Slack' }).textContent())
      .toBe(`Sent to Slack (${WEEK.start} to ${WEEK.end}).`);

    expect(posts()).toHaveLength(1);
    const [post] = posts();
    expect(post?.url).toBe(WEBHOOK_PATH);
    expect(post?.headers['content-type']).toContain('application/json');
    const payload = JSON.parse(post?.body.toString('utf8') ?? '') as {
      text: string;
      blocks: { type: string; text?: { text?: string } }[];
    };
    expect(Array.isArray(payload.blocks)).toBe(true);
    expect(payload.blocks[0]?.type).toBe('header');
    expect(payload.blocks[0]?.text?.text).toBe(`Builder Insights weekly digest: ${WEEK.label}`);
    expect(payload.text).toContain('3 insights (+200% vs 1 the week before)');
    // What was posted is what the preview shows (the preview is rebuilt from the same data).
    const mayaApi = await stack.signIn('maya.patel@example.com');
    const preview = await mayaApi.json<DigestPreview>('/api/v1/digest/preview');
    expect(payload.blocks).toEqual(preview.blocks);

    const runs = maya.getByRole('table', { name: 'Recent digest runs' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(1);
    const cells = await runs.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells.slice(1)).toEqual(['Send now', `${WEEK.start} – ${WEEK.end}`, 'sent', '200', 'Maya Patel']);
    expect(await maya.getByText('No digest has been sent yet.').count()).toBe(0);
  });

  it("the digest's dashboard link opens that week on the dashboard, with the same count", async () => {
    await maya.getByTestId('digest-blocks').getByRole('link', { name: 'Open the dashboard' }).click();
    await maya.waitForURL(`${stack.baseUrl}/admin/?period=week&at=${WEEK.start}`);
    await expect.poll(() => maya.getByTestId('metric-insights-value').textContent()).toBe('3');
    // Nothing more was posted on the way.
    expect(posts()).toHaveLength(1);
  });

  it('an advocate is not offered the page, and gets "not for your role" at its address', async () => {
    const ari = await openAs('Ari Levy', '/admin/digest');
    await expect.poll(() => ari.getByRole('heading', { level: 1 }).textContent()).toBe('Not for your role');
    expect(await ari.locator('main').textContent()).toContain(
      'Slack digest is for managers and above. Your role does not include it.',
    );
    expect(await pagesNav(ari).getByRole('link', { name: 'Slack digest' }).count()).toBe(0);
    expect(await ari.getByRole('button', { name: 'Send now' }).count()).toBe(0);
    // The server refuses too: the page is hidden because it could not work.
    expect((await ariApi.get('/api/v1/digest/preview')).status).toBe(403);
    expect((await ariApi.post('/api/v1/digest/send', {})).status).toBe(403);
    expect(posts()).toHaveLength(1);
  });
});

describe('the bug triage page', () => {
  let priya: Page;
  const card = () => priya.getByTestId('bug-report').filter({ hasText: BUG_TEXT });
  const triage = () => priya.getByRole('form', { name: 'Triage report from Ari Levy' });
  const chips = () => priya.getByRole('group', { name: 'Show bug reports by status' });
  // Each chip's name is its label and its count ("In progress 1").
  const chip = (label: string) => chips().getByRole('button', { name: new RegExp(`^${label} \\d+$`) });
  const countOf = (label: string) => chip(label).locator('.status-chip__count').textContent();

  it('a bug reported from the capture app arrives as New', async () => {
    const response = await ariApi.post('/api/v1/bug-reports', {
      id: randomUUID(),
      description: BUG_TEXT,
      screen: 'Capture',
      appVersion: '1.7.2',
      device: { userAgent: 'E2E browser', platform: 'Linux', viewport: '390x844', online: true },
      reportedAt: new Date().toISOString(),
    });
    expect(response.status, await response.clone().text()).toBe(201);

    priya = await openAs('Priya Raman', '/admin/bug-reports', 'mfa');
    await expect.poll(() => card().count()).toBe(1);
    expect(await chip('New').getAttribute('aria-pressed')).toBe('true');
    expect(await card().textContent()).toContain('Ari Levy on Capture · app 1.7.2');
    expect(await card().locator('.bug-report__head').textContent()).not.toContain('priority');
  });

  it('an admin sets priority High, assigns herself, moves it to In progress and adds a note', async () => {
    await choose(priya, triage(), 'Priority', 'High');
    await choose(priya, triage(), 'Assignee', 'Priya Raman');
    await choose(priya, triage(), 'Status', 'In progress');
    await triage().getByRole('button', { name: 'Save', exact: true }).click();
    // No longer New: it leaves the New list, and the chips count it under In progress.
    await expect.poll(() => card().count()).toBe(0);
    await expect.poll(() => countOf('In progress')).toBe('1');
    expect(await countOf('New')).toBe('0');

    await chip('In progress').click();
    await expect.poll(() => card().count()).toBe(1);
    const notes = card().getByRole('region', { name: 'Notes on the report from Ari Levy' });
    await notes.getByLabel('Add a note').fill(NOTE);
    await notes.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => notes.getByRole('listitem').count()).toBe(1);
    // The box empties once the note is stored.
    expect(await notes.getByLabel('Add a note').inputValue()).toBe('');
  });

  it('after a reload, the priority, assignee, status and note are all still there', async () => {
    await priya.reload();
    await settled(priya);
    await expect.poll(() => countOf('In progress')).toBe('1');
    await chip('In progress').click();
    await expect.poll(() => card().count()).toBe(1);

    const head = card().locator('.bug-report__head');
    expect(await head.getByText('High priority', { exact: true }).count()).toBe(1);
    expect(await head.getByText('In progress', { exact: true }).count()).toBe(1);
    const text = (await card().textContent()) ?? '';
    expect(text).toContain('Assigned to Priya Raman');
    expect(text).toContain('Last triaged by Priya Raman');
    // The triage form starts from what is stored.
    const form = triage();
    await settled(priya);
    expect(await form.getByRole('button', { name: /^Status/ }).textContent()).toContain('In progress');
    expect(await form.getByRole('button', { name: /^Priority/ }).textContent()).toContain('High');
    expect(await form.getByRole('button', { name: /^Assignee/ }).textContent()).toContain('Priya Raman');
    expect(await form.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);

    const note = card()
      .getByRole('region', { name: 'Notes on the report from Ari Levy' })
      .getByRole('listitem');
    expect(await note.count()).toBe(1);
    expect(await note.locator('p').textContent()).toBe(NOTE);
    expect(await note.locator('.muted').textContent()).toMatch(/^Priya Raman · /);

    // "Assigned to me" finds it; "Unassigned" does not.
    await choose(priya, priya.locator('.bug-filters'), 'Assignee', 'Assigned to me');
    await expect.poll(() => card().count()).toBe(1);
    await choose(priya, priya.locator('.bug-filters'), 'Assignee', 'Unassigned');
    await expect.poll(() => card().count()).toBe(0);
  });
});

describe('the whole run', () => {
  it('showed no console errors and no CSP violations on any page', () => {
    expect(problems).toEqual([]);
  });
});
