import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsightPage } from '../../src/contract/api/insights.ts';
import type { Theme, Themes } from '../../src/contract/api/reporting.ts';
import { insights } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * GET /api/v1/themes end to end: scope (a manager's themes and citations come only from their tree), merged
 * duplicates, filters and periods, the theme's `query` listing exactly its insights, 400s naming the field.
 *
 * Data (NOW = 2026-11-21, last30 = 2026-10-23..2026-11-21, previous = 2026-09-23..2026-10-22): every advocate
 * captures background feedback in both periods (4 before, 2 now; EMEA's filed as bug reports); AMER (Ari, Ben, Camila) starts talking about
 * the Kafka connector now (6 insights), EMEA (Fatima, Gustav, Hannah) about the Terraform provider (6); three
 * old Kafka insights lie before both periods and must never count.
 */
const DAY = 86_400_000;
const NOW = new Date('2026-11-21T12:00:00.000Z');
const AMER = ['ari', 'ben', 'camila'] as const;
const EMEA = ['fatima', 'gustav', 'hannah'] as const;

const BACKGROUND = [
  'Schema design for multi-tenant data is unclear to them.',
  'Pricing for dedicated clusters is hard to predict.',
  'Compass freezes when opening big collections.',
  'Aggregation pipeline docs need more examples.',
  'Choosing a shard key is stressful for their event data.',
  'Change streams resume tokens expire after a weekend outage.',
];
const KAFKA = [
  'The Kafka connector drops messages when the sink restarts.',
  'Kafka connector needs exactly-once delivery for payments.',
  'Asked for a fully managed Kafka connector.',
  'The Kafka connector lags behind under heavy writes.',
  'Kafka connector errors are hard to debug.',
  'The Kafka connector fails on documents over one megabyte.',
];
const TERRAFORM = [
  'The Terraform provider cannot create search indexes.',
  'Terraform provider shows drift on every plan.',
  'Terraform provider import fails for old clusters.',
  'Terraform provider docs lack private endpoint examples.',
  'Terraform provider errors on network peering are cryptic.',
  'Upgrading the Terraform provider broke their modules.',
];

let stack: TestStack;
const s: Record<string, Session> = {};
const personId: Record<string, string> = {};
const kafkaIds: string[] = [];
const oldKafkaIds: string[] = [];

interface Capture {
  text: string;
  daysAgo: number;
  type?: string;
}

async function captureAll(who: string, items: Capture[]): Promise<string[]> {
  const body = items.map((item) => ({
    id: randomUUID(),
    text: item.text,
    type: item.type ?? 'feature_request',
    productAreas: [],
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date(NOW.getTime() - item.daysAgo * DAY - 3_600_000).toISOString(),
  }));
  const response = await (s[who] as Session).post('/api/v1/insights/batch', { items: body });
  expect(response.status, await response.clone().text()).toBe(200);
  const { results } = (await response.json()) as { results: { status: string }[] };
  expect(results.every((r) => r.status === 'created')).toBe(true);
  return body.map((b) => b.id);
}

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  const everyone = [...AMER, ...EMEA, 'maya', 'erik', 'dana', 'victor'];
  const sessions = await Promise.all(
    everyone.map((who) => stack.signIn(`${who.charAt(0).toUpperCase()}${who.slice(1)}`)),
  );
  everyone.forEach((who, i) => {
    s[who] = sessions[i] as Session;
  });
  for (const who of everyone)
    personId[who] = (await (s[who] as Session).json<{ person: { id: string } }>('/api/v1/me')).person.id;
  for (const [n, who] of [...AMER, ...EMEA].entries()) {
    const background: Capture[] = [0, 1, 2, 3, 4, 5].map((k) => ({
      text: BACKGROUND[(n + k) % BACKGROUND.length] as string,
      daysAgo: k < 4 ? 33 + n * 3 + k : 2 + n * 3 + k,
      type: n < 3 ? 'feature_request' : 'bug_report',
    }));
    await captureAll(who, background);
  }
  for (const [k, text] of KAFKA.entries())
    kafkaIds.push(...(await captureAll(AMER[k % 3] as string, [{ text, daysAgo: 1 + k * 4 }])));
  for (const [k, text] of TERRAFORM.entries())
    await captureAll(EMEA[k % 3] as string, [{ text, daysAgo: 2 + k * 4, type: 'bug_report' }]);
  oldKafkaIds.push(
    ...(await captureAll('ari', [
      { text: 'An early Kafka connector question.', daysAgo: 70 },
      { text: 'Kafka connector beta feedback.', daysAgo: 75 },
    ])),
    ...(await captureAll('ben', [{ text: 'Kafka connector setup was fine.', daysAgo: 80 }])),
  );
});
afterAll(async () => {
  await stack?.close();
});

const themesOf = (who: string, query = '') => (s[who] as Session).json<Themes>(`/api/v1/themes${query}`);
const byLabel = (t: Themes, word: string) => t.themes.find((x) => x.label.toLowerCase().includes(word));

/** Every insight GET /api/v1/insights lists for a theme's q, the same filter and the period's days. */
async function listed(who: string, result: Themes, theme: Theme, filter = ''): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({
      q: theme.query,
      from: result.period.from,
      to: result.period.to,
      limit: '2',
      ...(cursor ? { cursor } : {}),
    });
    const page: InsightPage = await (s[who] as Session).json<InsightPage>(
      `/api/v1/insights?${params}${filter}`,
    );
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('GET /api/v1/themes', () => {
  it('finds what grows against the previous period, explained, with citations and a method', async () => {
    const result = await themesOf('dana');
    expect(result.period).toMatchObject({
      period: 'last30',
      from: '2026-10-23',
      to: '2026-11-21',
      previousFrom: '2026-09-23',
      previousTo: '2026-10-22',
    });
    expect(result.scopeLabel).toBe('Whole organization');
    expect(result.insightsConsidered).toBe(12 + 6 + 6);
    expect(result.method).toMatch(/previous/);
    expect(result.themes.map((t) => t.label.toLowerCase()).sort()).toEqual([
      'kafka connector',
      'terraform provider',
    ]);
    const kafka = byLabel(result, 'kafka') as Theme;
    expect(kafka).toMatchObject({ current: 6, previous: 0, status: 'new', growth: null });
    expect(kafka.explanation).toContain(
      'Mentioned in 6 insights by 3 people this period vs none in the previous period',
    );
    expect(kafka.citations).toHaveLength(5);
    for (const c of kafka.citations) {
      expect(kafkaIds).toContain(c.insightId);
      expect(c.quote.some((seg) => seg.match && /kafka|connector/i.test(seg.text))).toBe(true);
      const quoted = c.quote.map((seg) => seg.text).join('');
      expect(quoted).not.toMatch(/[<>]/);
      expect([...quoted].some((ch) => ch.charCodeAt(0) < 4)).toBe(false);
    }
  });

  it("keeps a manager's themes and citations inside their tree", async () => {
    const maya = await themesOf('maya');
    expect(maya.scopeLabel).toBe('Your own insights, team amer');
    expect(maya.themes.map((t) => t.label.toLowerCase())).toEqual(['kafka connector']);
    const amerIds = AMER.map((who) => personId[who]);
    for (const c of maya.themes.flatMap((t) => t.citations)) expect(amerIds).toContain(c.author.id);
    const erik = await themesOf('erik');
    expect(erik.themes.map((t) => t.label.toLowerCase())).toEqual(['terraform provider']);
    const emeaIds = EMEA.map((who) => personId[who]);
    for (const c of erik.themes.flatMap((t) => t.citations)) expect(emeaIds).toContain(c.author.id);
  });

  it('lets a viewer read the themes of their granted scope', async () => {
    const victor = await themesOf('victor');
    expect(victor.themes).toHaveLength(2);
  });

  it("gives each theme the q that lists exactly its `current` insights (manager's scope and filters too)", async () => {
    for (const who of ['dana', 'maya', 'erik']) {
      const result = await themesOf(who);
      for (const theme of result.themes)
        expect((await listed(who, result, theme)).length).toBe(theme.current);
    }
    const filtered = await themesOf('dana', '?type=bug_report');
    expect(filtered.themes.map((t) => t.label.toLowerCase())).toEqual(['terraform provider']);
    const theme = filtered.themes[0] as Theme;
    expect((await listed('dana', filtered, theme, '&type=bug_report')).length).toBe(theme.current);
  });

  it("combines the report's own search with the theme's, still exactly", async () => {
    const q = 'kafka OR pricing OR schema OR compass';
    const result = await themesOf('dana', `?q=${encodeURIComponent(q)}`);
    const kafka = byLabel(result, 'kafka') as Theme;
    expect(kafka.current).toBe(6);
    expect(kafka.query).toContain('kafka');
    expect(kafka.query).not.toBe('kafka');
    expect(byLabel(result, 'terraform')).toBeUndefined();
    expect((await listed('dana', result, kafka)).length).toBe(6);
  });

  it('follows the filter: team narrows the insights considered', async () => {
    const result = await themesOf('dana', '?team=emea');
    expect(result.insightsConsidered).toBe(6 + 6);
    expect(result.themes.map((t) => t.label.toLowerCase())).toEqual(['terraform provider']);
  });

  it('follows the period: nothing emerges in the previous 30 days, old mentions never count', async () => {
    const result = await themesOf('dana', '?period=custom&from=2026-09-23&to=2026-10-22');
    expect(result.period).toMatchObject({ from: '2026-09-23', previousTo: '2026-09-22', days: 30 });
    expect(byLabel(result, 'kafka')).toBeUndefined();
    const now = await themesOf('dana');
    expect(byLabel(now, 'kafka')?.previous).toBe(0);
    for (const c of now.themes.flatMap((t) => t.citations)) expect(oldKafkaIds).not.toContain(c.insightId);
  });

  it('counts a merged duplicate once, as its primary', async () => {
    const [primary, duplicate] = kafkaIds as [string, string];
    const db = stack.db.database.db;
    await db.update(insights).set({ mergedIntoId: primary }).where(eq(insights.id, duplicate));
    try {
      const result = await themesOf('dana');
      const kafka = byLabel(result, 'kafka') as Theme;
      expect(kafka.current).toBe(5);
      expect(result.insightsConsidered).toBe(23);
      expect(kafka.citations.map((c) => c.insightId)).not.toContain(duplicate);
      expect(kafka.explanation).toContain('Mentioned in 5 insights');
      expect((await listed('dana', result, kafka)).length).toBe(5);
    } finally {
      await db
        .update(insights)
        .set({ mergedIntoId: null })
        .where(inArray(insights.id, [duplicate]));
    }
  });

  it('answers an API token with reporting:read, the same themes as the session, and refuses other scopes', async () => {
    const token = async (scopes: string[]) => {
      const response = await (s.victor as Session).post('/api/v1/tokens', {
        name: 'themes',
        scopes,
        expiresInDays: 1,
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return ((await response.json()) as { token: string }).token;
    };
    const get = async (bearer: string) =>
      fetch(`${stack.baseUrl}/api/v1/themes`, { headers: { authorization: `Bearer ${bearer}` } });
    const reader = await get(await token(['reporting:read']));
    expect(reader.status).toBe(200);
    const viaToken = (await reader.json()) as Themes;
    expect(viaToken.themes.map((t) => t.key)).toEqual((await themesOf('victor')).themes.map((t) => t.key));
    expect((await get(await token(['insights:read']))).status).toBe(403);
  });

  it('refuses a bad period with a 400 naming the field, and anonymous callers with 401', async () => {
    const cases: [string, string][] = [
      ['?period=custom', 'from'],
      ['?period=custom&from=2026-11-01', 'to'],
      ['?period=custom&from=2026-11-10&to=2026-11-01', 'to'],
      ['?period=last30&from=2026-11-01', 'from'],
      ['?period=decade', 'query.period'],
    ];
    for (const [query, field] of cases) {
      const response = await (s.dana as Session).get(`/api/v1/themes${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(
        problem.errors.map((e) => e.field),
        query,
      ).toContain(field);
    }
    expect((await fetch(`${stack.baseUrl}/api/v1/themes`)).status).toBe(401);
  });
});
