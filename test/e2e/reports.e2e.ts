import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import { eventSessions, events } from '../../src/server/db/schema.ts';
import { WEB_ROOT } from '../../src/server/runtime.ts';
import { type FakeProvider, startFakeProvider } from '../helpers/fake-provider.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { launchChromium, startBrowserStack } from './browser.ts';

/**
 * The reporting views in a real browser, as a manager (Maya, team amer): the dashboard's numbers, a table
 * and a chart drill-down to the Insights list, the leaderboard, emerging themes with quotes, and the executive
 * report with its PDF and CSV downloads — no console errors or CSP violations anywhere.
 */
let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let maya: Page;
const problems: string[] = [];
const DAY = 86_400_000;
const ids: Record<string, string> = {};

/** The UTC day `n` days before today (the server and the browser count periods in UTC days). */
const dayAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
/** Noon UTC `n` days ago: inside that day whatever the time now. */
const noonAgo = (n: number) => `${dayAgo(n)}T12:00:00.000Z`;

type Seed = [
  who: 'ari' | 'ben' | 'camila',
  daysAgo: number,
  type: string,
  sentiment: string,
  priority: string,
  text: string,
];
// biome-ignore format: one insight per line reads as a table
const SEED: Seed[] = [
  // This period (last 30 days): an emerging theme by three people…
  ['ari', 2, 'pain_point', 'negative', 'high', 'Vector search latency doubles once the index passes a million vectors'],
  ['ari', 5, 'pain_point', 'negative', 'medium', 'Vector search latency is unpredictable under concurrent writes'],
  ['ben', 3, 'bug_report', 'negative', 'high', 'Vector search latency spikes after every reindex'],
  ['ben', 8, 'pain_point', 'negative', 'medium', 'Customers measure vector search latency before they buy'],
  ['camila', 4, 'feature_request', 'neutral', 'medium', 'Wants dashboards for vector search latency per index'],
  ['camila', 9, 'pain_point', 'negative', 'medium', 'Vector search latency hurts their chatbot answers'],
  ['ari', 12, 'question', 'neutral', 'low', 'How do we tune vector search latency for small clusters?'],
  // …other things…
  ['ben', 6, 'praise', 'positive', 'low', 'Loves the schema view in Compass'],
  ['camila', 10, 'use_case', 'positive', 'medium', 'Inventory sync between stores with change streams'],
  ['ari', 15, 'documentation', 'neutral', 'low', 'The aggregation docs need more pipeline examples'],
  ['ben', 18, 'question', 'neutral', 'low', 'Asked about the upgrade path for old drivers'],
  // …and one critical item.
  ['ben', 1, 'bug_report', 'negative', 'critical', 'Driver crashes on reconnect after a failover'],
  // The previous period: the usual topics, nothing about that theme.
  ['ari', 35, 'praise', 'positive', 'low', 'Happy with the Compass query bar'],
  ['ari', 38, 'question', 'neutral', 'low', 'Asked about backup retention'],
  ['ben', 40, 'use_case', 'positive', 'medium', 'Fleet telemetry stored as time series'],
  ['ben', 42, 'documentation', 'neutral', 'low', 'Wants a migration guide from relational schemas'],
  ['camila', 44, 'feature_request', 'neutral', 'medium', 'Asks for private endpoints in more regions'],
  ['camila', 47, 'praise', 'positive', 'low', 'The charts embedding works well'],
  ['ari', 50, 'pain_point', 'negative', 'medium', 'Billing alerts arrive too late'],
  ['ben', 52, 'question', 'neutral', 'low', 'How do triggers retry on failure'],
  ['camila', 55, 'other', 'neutral', 'low', 'Met a university group about courses'],
  ['ari', 58, 'use_case', 'positive', 'medium', 'Product catalogue with flexible attributes'],
];
const LOGIN = { ari: 'ari.levy', ben: 'ben.carter', camila: 'camila.reyes' } as const;
const CURRENT = SEED.filter(([, n]) => n < 30).length;
const PREVIOUS = SEED.filter(([, n]) => n >= 30).length;

/** The data both stacks get: an event with two sessions and SEED, captured by three amer advocates. */
async function seed(target: TestStack): Promise<void> {
  const [event] = await target.db.database.db
    .insert(events)
    .values({ name: 'DevDay Chicago', eventType: 'regional_dev_day', startsOn: dayAgo(9), endsOn: dayAgo(8) })
    .returning();
  const sessions = await target.db.database.db
    .insert(eventSessions)
    .values([
      { eventId: event?.id ?? '', title: 'Keynote' },
      { eventId: event?.id ?? '', title: 'Vector workshop' },
    ])
    .returning();
  ids.event = event?.id ?? '';
  for (const who of ['ari', 'ben', 'camila'] as const) {
    const session: Session = await target.signIn(`${LOGIN[who]}@example.com`);
    ids[who] = (await session.json<Me>('/api/v1/me')).person.id;
    const items = SEED.filter(([w]) => w === who).map(([, n, type, sentiment, priority, text]) => ({
      id: randomUUID(),
      text,
      type,
      sentiment,
      priority,
      productAreas: text.startsWith('Vector') ? ['atlas_vector_search'] : [],
      // The insights of the event days were captured at DevDay Chicago, in its workshop.
      ...(n === 8 || n === 9 ? { eventId: ids.event, sessionId: sessions[1]?.id } : {}),
      capturedAt: noonAgo(n),
    }));
    const response = await session.post('/api/v1/insights/batch', { items });
    expect(response.status).toBe(200);
  }
}

/**
 * Maya, signed in through the IdP and landed on `path`. Console errors, uncaught exceptions and CSP
 * violations on our origin go to `problems`, except console lines `expected` says are part of the test.
 */
async function openAsMaya(
  target: TestStack,
  chromium: Browser,
  path: string,
  expected: (text: string) => boolean = () => false,
): Promise<{ context: BrowserContext; page: Page }> {
  const newContext = await chromium.newContext({
    viewport: { width: 1280, height: 1000 },
    acceptDownloads: true,
  });
  await newContext.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  const page = await newContext.newPage();
  let signedIn = false;
  page.on('console', (message) => {
    const url = message.location().url;
    if (!signedIn || message.type() !== 'error' || expected(message.text())) return;
    if (url === '' || url.startsWith(target.baseUrl)) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  await page.goto(`${target.baseUrl}${path}`);
  await page.waitForURL(new RegExp(`^${target.idp.issuer}/interaction/`));
  // From the sign-in on: the first visit's 401 (which sends the browser to sign in) is how it should be.
  signedIn = true;
  await page.getByRole('button', { name: 'Sign in as Maya Patel' }).click();
  await page.waitForURL(`${target.baseUrl}${path}`);
  return { context: newContext, page };
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();

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

/** Choose an option of a LeafyGreen Select by its label. */
async function choose(page: Page, label: string, option: string) {
  await settled(page);
  await page.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function bytesOf(download: Download): Promise<Buffer> {
  return readFile(await download.path());
}

describe('reporting views in a real browser', () => {
  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack());
    await seed(stack);
    ({ context, page: maya } = await openAsMaya(stack, browser, '/admin/'));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.close();
  });

  it("the dashboard shows the manager's numbers, and a table row drills down to the Insights list", async () => {
    await expect.poll(() => text(maya, 'metric-insights-value')).toBe(String(CURRENT));
    expect(await text(maya, 'metric-critical-value')).toBe('1');
    expect(await maya.getByTestId('metric-insights-change').textContent()).toContain(`vs ${PREVIOUS}`);
    expect(await text(maya, 'dashboard-scope')).toContain('team amer');
    await expect.poll(() => maya.getByTestId('trend-chart').getAttribute('data-ready')).toBe('true');
    expect(await maya.getByTestId('critical-item').textContent()).toContain('Driver crashes on reconnect');
    const coverage = maya.getByTestId('coverage-row');
    expect(await coverage.count()).toBe(1);
    expect(await coverage.textContent()).toContain('1 of 2 (50%)');
    expect(await maya.getByTestId('top-contributors-row').count()).toBe(3);

    // A keyboard-reachable row: Ben's insights of the period.
    await maya.getByTestId('top-contributors').getByRole('link', { name: 'Ben Carter' }).click();
    await maya.waitForURL(/\/admin\/insights\?/);
    const url = new URL(maya.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      authorId: ids.ben,
      from: dayAgo(29),
      to: dayAgo(0),
    });
    await expect.poll(() => maya.title()).toBe('Insights · Builder Insights');
    await maya.locator('main').first().waitFor();
  });

  it('the period and filters live in the URL, and a click on a chart drills down too', async () => {
    await maya.goBack();
    await maya.waitForURL(`${stack.baseUrl}/admin/`);
    await choose(maya, 'Period', 'Last 90 days');
    await maya.waitForURL(/\/admin\/\?period=last90$/);
    await expect.poll(() => text(maya, 'metric-insights-value')).toBe(String(CURRENT + PREVIOUS));
    await choose(maya, 'Sentiment', 'Negative');
    await maya.waitForURL(/period=last90&sentiment=negative$/);
    const negative = SEED.filter(([, , , sentiment]) => sentiment === 'negative').length;
    await expect.poll(() => text(maya, 'metric-insights-value')).toBe(String(negative));
    // Back restores the previous view.
    await maya.goBack();
    await expect.poll(() => text(maya, 'metric-insights-value')).toBe(String(CURRENT + PREVIOUS));

    // The sentiment ring: a click anywhere on it opens that sentiment's insights over the same 90 days.
    const ring = maya.getByTestId('dist-sentiment-chart');
    await expect.poll(() => ring.getAttribute('data-ready')).toBe('true');
    await ring.scrollIntoViewIfNeeded();
    const box = await ring.boundingBox();
    if (box === null) throw new Error('the sentiment chart has no box');
    const radius = Math.min(box.width, box.height) / 2;
    await maya.mouse.click(box.x + box.width / 2 + radius * 0.55, box.y + box.height / 2);
    await maya.waitForURL(/\/admin\/insights\?/);
    const params = new URL(maya.url()).searchParams;
    expect(['positive', 'neutral', 'negative']).toContain(params.get('sentiment'));
    expect([params.get('from'), params.get('to')]).toEqual([dayAgo(89), dayAgo(0)]);
    await expect.poll(() => maya.title()).toBe('Insights · Builder Insights');
  });

  it('the leaderboard ranks by the documented score and explains it', async () => {
    await maya.goto(`${stack.baseUrl}/admin/leaderboard`);
    await expect.poll(() => maya.getByTestId('leaderboard-row').count()).toBe(3);
    expect(await maya.getByTestId('formula').textContent()).toContain('score = 1 × insights + 3 × critical');
    // Ben: 5 insights + 3 (critical) + 2 (high) + 1.5 × 2 (bug reports) = 13; he ranks first.
    expect(await maya.getByTestId('leaderboard-row').first().textContent()).toContain('Ben Carter');
    expect(await maya.getByTestId('leaderboard-score').first().textContent()).toBe('13');
  });

  it('themes show the emerging phrase with quotes and link to exactly its insights', async () => {
    await maya.goto(`${stack.baseUrl}/admin/themes`);
    const theme = maya.getByTestId('theme').first();
    await theme.waitFor();
    expect((await theme.textContent())?.toLowerCase()).toContain('vector search');
    expect(await theme.getByTestId('theme-status').textContent()).toBe('New');
    expect(await theme.locator('blockquote mark').count()).toBeGreaterThan(0);
    const link = theme.getByRole('link', { name: /^See the \d+ insights$/ });
    const href = new URL((await link.getAttribute('href')) ?? '', stack.baseUrl);
    expect(href.pathname).toBe('/admin/insights');
    expect(href.searchParams.get('q')).toBeTruthy();
    expect([href.searchParams.get('from'), href.searchParams.get('to')]).toEqual([dayAgo(29), dayAgo(0)]);
  });

  it('the executive report downloads as PDF and CSV for the chosen days', async () => {
    await maya.goto(`${stack.baseUrl}/admin/reports`);
    await maya.getByTestId('report-title').waitFor();
    await choose(maya, 'Period', 'Custom');
    await maya.waitForURL(/period=custom&from=/);
    await maya.getByTestId('period-to').fill(dayAgo(0));
    await maya.getByTestId('period-from').fill(dayAgo(29));
    await maya.waitForURL(new RegExp(`period=custom&from=${dayAgo(29)}&to=${dayAgo(0)}$`));
    await expect.poll(() => text(maya, 'metric-insights-value')).toBe(String(CURRENT));
    expect(await maya.getByTestId('narrative').textContent()).toContain(String(CURRENT));
    // No summary provider is configured: no button for it.
    expect(await maya.getByRole('button', { name: 'Generate AI summary' }).count()).toBe(0);

    const [pdf] = await Promise.all([
      maya.waitForEvent('download'),
      maya.getByTestId('download-pdf').click(),
    ]);
    expect(pdf.suggestedFilename()).toBe(`builder-insights-executive-${dayAgo(29)}-${dayAgo(0)}.pdf`);
    expect((await bytesOf(pdf)).subarray(0, 4).toString('latin1')).toBe('%PDF');

    const [csv] = await Promise.all([
      maya.waitForEvent('download'),
      maya.getByTestId('download-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toBe(`builder-insights-executive-${dayAgo(29)}-${dayAgo(0)}.csv`);
    const rows = parse(await bytesOf(csv), { bom: true }) as string[][];
    expect(rows[0]).toEqual(['section', 'key', 'label', 'value', 'previous', 'change']);
    expect(rows).toContainEqual([
      'metric',
      'insights',
      'Insights',
      String(CURRENT),
      String(PREVIOUS),
      String((CURRENT - PREVIOUS) / PREVIOUS),
    ]);
    expect(rows.some((row) => row[0] === 'critical' && row[3]?.includes('Driver crashes on reconnect'))).toBe(
      true,
    );

    // The insights behind the report, as the list exports them: the same count.
    const [insights] = await Promise.all([
      maya.waitForEvent('download'),
      maya.getByTestId('export-insights').click(),
    ]);
    const exported = parse(await bytesOf(insights), { bom: true, columns: true }) as Record<string, string>[];
    expect(exported).toHaveLength(CURRENT);
    expect(exported.filter((row) => row.priority === 'critical').map((row) => row.text)).toEqual([
      'Driver crashes on reconnect after a failover',
    ]);
  });
});

describe('the optional AI summary, with a provider configured', () => {
  const SUMMARY =
    'Capture rose by a fifth; vector search latency is the new theme.\n\nOne critical driver crash.';
  let provider: FakeProvider | undefined;
  let fail = true;
  let own: { stack: TestStack; browser: Browser; context: BrowserContext | undefined } | undefined;
  let page: Page;

  beforeAll(async () => {
    // A local stand-in for an OpenAI-compatible chat completions API: fails first, then answers.
    provider = await startFakeProvider((_request, response) => {
      if (fail) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'overloaded' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-e2e',
          object: 'chat.completion',
          model: 'e2e-model',
          choices: [{ index: 0, message: { role: 'assistant', content: SUMMARY }, finish_reason: 'stop' }],
        }),
      );
    });
    const summaryStack = await startStack({
      webRoot: WEB_ROOT,
      env: {
        REPORT_SUMMARY_URL: `${provider.origin}/v1`,
        REPORT_SUMMARY_API_KEY: 'sk-e2e-key',
        REPORT_SUMMARY_MODEL: 'e2e-model',
      },
    });
    own = { stack: summaryStack, browser: await launchChromium(), context: undefined };
    await seed(summaryStack);
    // The provider's failure answers 502: the browser logs that response, which is what this test provokes.
    const opened = await openAsMaya(summaryStack, own.browser, '/admin/reports', (line) =>
      line.includes('status of 502'),
    );
    own.context = opened.context;
    page = opened.page;
  });
  afterAll(async () => {
    await own?.context?.close();
    await own?.browser.close();
    await own?.stack.close();
    await provider?.close();
  });

  it('says calmly when the provider fails, then shows the summary with its disclaimer', async () => {
    const button = page.getByRole('button', { name: 'Generate AI summary' });
    await button.click();
    await page.getByTestId('summary-error').waitFor();
    expect(await page.getByTestId('summary-error').textContent()).toContain('The report above is unaffected');
    expect(await page.getByTestId('report-title').count()).toBe(1);

    fail = false;
    await button.click();
    await page.getByTestId('summary-disclaimer').waitFor();
    const card = page.getByTestId('ai-summary');
    expect(await card.locator('p.ai-summary__text').allTextContents()).toEqual(SUMMARY.split('\n\n'));
    expect(await page.getByTestId('summary-disclaimer').textContent()).toContain('e2e-model');
    expect(await page.getByTestId('summary-error').count()).toBe(0);
  });
});

describe('the whole run', () => {
  it('showed no console errors and no CSP violations on any page', () => {
    expect(problems).toEqual([]);
  });
});
