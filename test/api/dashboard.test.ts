import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import { type Dashboard, METRIC_KEYS } from '../../src/contract/api/reporting.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../src/contract/taxonomy.ts';
import { eventSessions, events, insights, people } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * GET /api/v1/dashboard against an independent model of the data: every section is recomputed here from the
 * records the test wrote, for the reader's scope, the filter and the period, and must match exactly.
 */
const NOW = new Date('2026-11-21T12:00:00.000Z');
const NAMES = ['ari', 'ben', 'maya', 'fatima', 'gustav', 'erik', 'victor'] as const;
type Who = (typeof NAMES)[number];
const TEAM: Partial<Record<Who, string>> = { ari: 'amer', ben: 'amer', maya: 'amer' };
for (const w of ['fatima', 'gustav'] as const) TEAM[w] = 'emea';

interface Rec {
  id: string;
  who: Who;
  at: string;
  type: string;
  sentiment: string;
  priority: string;
  areas: string[];
  event: 'e1' | 'e2' | null;
  session: 's1a' | 's1b' | 's2a' | null;
  status: string | null;
  text: string;
  merged: boolean;
}

let stack: TestStack;
const s = {} as Record<Who, Session>;
const idOf = {} as Record<Who, string>;
const nameOf = {} as Record<Who, string>;
const ev: Record<string, string> = {};
const recs: Rec[] = [];
const db = () => stack.db.database.db;

type Row = [
  Who,
  string,
  string,
  string,
  string,
  string[],
  Rec['event'],
  Rec['session'],
  string | null,
  string,
];
// biome-ignore format: one insight per line reads as a table
const DATA: Row[] = [
  ['ari', '2026-11-21T09:00:00Z', 'pain_point', 'negative', 'high', ['atlas', 'drivers'], 'e2', 's2a', null, 'Query latency spikes at peak'],
  ['ari', '2026-11-20T10:00:00Z', 'feature_request', 'neutral', 'medium', ['atlas'], 'e2', null, 'done', 'Wants a bulk export'],
  ['ari', '2026-11-03T08:00:00Z', 'praise', 'positive', 'low', ['compass'], null, null, null, 'Loves the schema view'],
  ['ari', '2026-11-01T00:00:00Z', 'question', 'neutral', 'low', [], null, null, null, 'First second of November'],
  ['ari', '2026-10-31T23:59:59Z', 'feature_request', 'neutral', 'medium', [], null, null, null, 'Last second of October'],
  ['ari', '2026-10-01T10:00:00Z', 'question', 'neutral', 'low', [], null, null, null, 'Before the previous period'],
  ['ben', '2026-11-10T10:00:00Z', 'bug_report', 'negative', 'critical', ['drivers'], 'e1', 's1a', 'open', 'Driver crashes on reconnect latency'],
  ['ben', '2026-11-10T11:00:00Z', 'bug_report', 'negative', 'critical', ['drivers'], 'e1', 's1a', null, 'Same crash again'],
  ['ben', '2026-10-15T10:00:00Z', 'bug_report', 'negative', 'critical', [], null, null, null, 'Old crash'],
  ['ben', '2026-09-02T00:30:00Z', 'other', 'positive', 'low', [], null, null, null, 'First trend day'],
  ['ben', '2026-09-01T23:30:00Z', 'other', 'positive', 'low', [], null, null, null, 'Just before the trend'],
  ['fatima', '2026-11-05T10:00:00Z', 'use_case', 'positive', 'high', ['atlas_vector_search'], 'e1', 's1b', 'open', 'RAG for support tickets'],
  ['fatima', '2026-11-06T10:00:00Z', 'feature_request', 'neutral', 'critical', ['atlas'], 'e1', 's1b', null, 'Needs private endpoints'],
  ['gustav', '2026-11-07T10:00:00Z', 'pain_point', 'negative', 'medium', [], 'e1', null, 'in_progress', 'Index build latency'],
  ['gustav', '2026-10-25T10:00:00Z', 'use_case', 'positive', 'low', [], null, null, null, 'IoT pipeline'],
  ['erik', '2026-11-12T10:00:00Z', 'question', 'neutral', 'medium', ['server'], null, null, null, 'Upgrade path question'],
];

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  for (const who of NAMES) {
    s[who] = await stack.signIn(`${who[0]?.toUpperCase()}${who.slice(1)}`);
    const me = await s[who].json<Me>('/api/v1/me');
    idOf[who] = me.person.id;
    nameOf[who] = me.person.name;
  }
  const [e1, e2] = await db()
    .insert(events)
    .values([
      { name: 'DevDay Berlin', eventType: 'regional_dev_day', startsOn: '2026-11-05', endsOn: '2026-11-10' },
      { name: 'Atlas Summit NYC', eventType: 'architect_day', startsOn: '2026-11-20', endsOn: '2026-11-21' },
    ])
    .returning();
  ev.e1 = e1?.id ?? '';
  ev.e2 = e2?.id ?? '';
  const sessions = await db()
    .insert(eventSessions)
    .values([
      { eventId: ev.e1, title: 'Keynote' },
      { eventId: ev.e1, title: 'Workshop' },
      { eventId: ev.e1, title: 'Panel' },
      { eventId: ev.e2, title: 'Opening' },
    ])
    .returning();
  const [s1a, s1b, , s2a] = sessions.map((x) => x.id);
  Object.assign(ev, { s1a, s1b, s2a });
  for (const [who, at, type, sentiment, priority, areas, event, session, status, text] of DATA) {
    const rec = { who, at, type, sentiment, priority, areas, event, session, status, text };
    recs.push({ id: randomUUID(), ...rec, merged: false });
  }
  for (const who of NAMES) {
    const items = recs
      .filter((r) => r.who === who)
      .map((r) => ({
        id: r.id,
        text: r.text,
        type: r.type,
        sentiment: r.sentiment,
        priority: r.priority,
        productAreas: r.areas,
        eventId: r.event ? ev[r.event] : null,
        sessionId: r.session ? ev[r.session] : null,
        capturedAt: new Date(r.at).toISOString(),
      }));
    if (items.length === 0) continue;
    const res = await s[who].post('/api/v1/insights/batch', { items });
    const body = (await res.json()) as { results: { status: string }[] };
    expect(body.results.map((x) => x.status)).toEqual(items.map(() => 'created'));
  }
  for (const r of recs) {
    if (r.status)
      await db()
        .update(insights)
        .set({ followUp: true, followUpStatus: r.status as 'open' })
        .where(eq(insights.id, r.id));
  }
  // A retired product area id still stored on one insight.
  const legacy = recs.find((r) => r.text === 'Needs private endpoints') as Rec;
  legacy.areas = ['atlas', 'realm'];
  await db().update(insights).set({ productAreas: legacy.areas }).where(eq(insights.id, legacy.id));
  // Ben's "Same crash again" is merged into his first report: it counts once, as the primary.
  const [primary, dup] = recs.filter((r) => r.who === 'ben') as [Rec, Rec];
  dup.merged = true;
  await db().update(insights).set({ mergedIntoId: primary.id }).where(eq(insights.id, dup.id));
  // The org source: Erik manages Fatima and Ben (across teams); he has no team group, so his scope is his tree.
  const setOrg = (who: Who, values: Partial<typeof people.$inferInsert>) =>
    db().update(people).set(values).where(eq(people.id, idOf[who]));
  const builderRelations = (['ari', 'ben', 'maya', 'fatima', 'gustav', 'erik'] as const).map((w) => idOf[w]);
  await db().update(people).set({ builderRelations: true }).where(inArray(people.id, builderRelations));
  await setOrg('fatima', { managerId: idOf.erik });
  await setOrg('ben', { managerId: idOf.erik });
  await setOrg('erik', { groups: ['builder-relations'], team: null });
});
afterAll(async () => {
  await stack?.close();
});

const inDays = (r: Rec, from: string, to: string) => r.at.slice(0, 10) >= from && r.at.slice(0, 10) <= to;
const SCOPE: Record<string, (r: Rec) => boolean> = {
  all: () => true,
  amer: (r) => TEAM[r.who] === 'amer',
  erikTree: (r) => ['erik', 'fatima', 'ben'].includes(r.who),
};

/** The model: what every section must hold for the records `keep` selects, over the dashboard's period. */
function expectMatchesModel(d: Dashboard, keep: (r: Rec) => boolean) {
  const live = recs.filter((r) => !r.merged && keep(r));
  const cur = live.filter((r) => inDays(r, d.period.from, d.period.to));
  const prev = live.filter((r) => inDays(r, d.period.previousFrom, d.period.previousTo));
  const metrics = (rows: Rec[]) => ({
    insights: rows.length,
    critical: rows.filter((r) => r.priority === 'critical').length,
    negative: rows.filter((r) => r.sentiment === 'negative').length,
    feature_requests: rows.filter((r) => r.type === 'feature_request').length,
    contributors: new Set(rows.map((r) => r.who)).size,
    events: new Set(rows.filter((r) => r.event).map((r) => r.event)).size,
    follow_ups_open: rows.filter((r) => r.status === 'open' || r.status === 'in_progress').length,
  });
  const [now, before] = [metrics(cur), metrics(prev)];
  expect(d.cards.map((c) => [c.key, c.value, c.previous])).toEqual(
    Object.keys(now).map((k) => [k, now[k as keyof typeof now], before[k as keyof typeof now]]),
  );
  const tally = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map());
  const nonZero = (rows: { key: string; count: number }[]) =>
    new Map(rows.filter((r) => r.count > 0).map((r) => [r.key, r.count]));
  expect(nonZero(d.distributions.byType)).toEqual(tally(cur.map((r) => r.type)));
  expect(nonZero(d.distributions.bySentiment)).toEqual(tally(cur.map((r) => r.sentiment)));
  expect(nonZero(d.distributions.byPriority)).toEqual(tally(cur.map((r) => r.priority)));
  expect(nonZero(d.distributions.byProductArea)).toEqual(tally(cur.flatMap((r) => r.areas)));
  const trendRows = live.filter((r) => inDays(r, d.trend[0]?.date ?? '', d.period.to));
  expect(new Map(d.trend.filter((p) => p.total > 0).map((p) => [p.date, p.total]))).toEqual(
    tally(trendRows.map((r) => r.at.slice(0, 10))),
  );
  const byWho = [...tally(cur.map((r) => r.who)).entries()] as [Who, number][];
  byWho.sort((a, b) => b[1] - a[1] || nameOf[a[0]].localeCompare(nameOf[b[0]]));
  expect(d.topContributors.map((c) => [c.name, c.count, c.team])).toEqual(
    byWho.map(([w, n]) => [nameOf[w], n, w === 'erik' ? null : (TEAM[w] ?? null)]),
  );
  const critical = cur.filter((r) => r.priority === 'critical').sort((a, b) => b.at.localeCompare(a.at));
  expect(d.critical.map((c) => c.id)).toEqual(critical.map((r) => r.id));
  const atEvent = cur.filter((r) => r.event);
  const coverage = [...new Set(atEvent.map((r) => r.event))].map((e) => {
    const rows = atEvent.filter((r) => r.event === e);
    return {
      id: ev[e as string],
      insights: rows.length,
      contributors: new Set(rows.map((r) => r.who)).size,
      sessions: e === 'e1' ? 3 : 1,
      sessionsCovered: new Set(rows.filter((r) => r.session).map((r) => r.session)).size,
    };
  });
  // Most insights first, then by name: Atlas Summit NYC (e2) before DevDay Berlin (e1).
  coverage.sort((a, b) => b.insights - a.insights || (a.id === ev.e2 ? -1 : 1));
  expect(d.coverage.map(({ event, ...c }) => ({ id: event.id, ...c }))).toEqual(coverage);
  expect(d.topEvents.map((e) => [e.id, e.count])).toEqual(coverage.map((c) => [c.id, c.insights]));
}

const get = (who: Who, query = '') => s[who].json<Dashboard>(`/api/v1/dashboard${query ? `?${query}` : ''}`);
const NOVEMBER = 'period=month&at=2026-11-15';

describe('dashboard scope', () => {
  it('counts a manager’s team and nothing else', async () => {
    const d = await get('maya', NOVEMBER);
    expect(d.scopeLabel).toBe('Your own insights, team amer');
    expectMatchesModel(d, SCOPE.amer as (r: Rec) => boolean);
    // Ari 4 + Ben 1 (his duplicate merged away) in November.
    expect(d.cards[0]).toMatchObject({ key: 'insights', value: 5, previous: 2 });
  });

  it('counts exactly a manager’s reporting tree, across teams', async () => {
    const d = await get('erik', NOVEMBER);
    expect(d.scopeLabel).toBe('Your own insights, reporting tree of you');
    expectMatchesModel(d, SCOPE.erikTree as (r: Rec) => boolean);
    expect(d.topContributors.map((c) => c.name).sort()).toEqual([
      'Ben Carter',
      'Erik Lindqvist',
      'Fatima Zahra',
    ]);
  });

  it('counts a viewer’s granted scope (the whole organization), read-only role included', async () => {
    const d = await get('victor', NOVEMBER);
    expect(d.scopeLabel).toBe('Whole organization');
    expectMatchesModel(d, SCOPE.all as (r: Rec) => boolean);
    expect(d.cards.find((c) => c.key === 'insights')?.value).toBe(9);
  });
});

describe('dashboard filters', () => {
  const cases: [string, (r: Rec) => boolean][] = [
    ['team=emea', (r) => TEAM[r.who] === 'emea'],
    ['type=bug_report', (r) => r.type === 'bug_report'],
    ['priority=critical', (r) => r.priority === 'critical'],
    ['sentiment=negative', (r) => r.sentiment === 'negative'],
    ['productArea=atlas', (r) => r.areas.includes('atlas')],
    ['followUpStatus=open', (r) => r.status === 'open'],
    ['followUp=true', (r) => r.status !== null],
    ['q=latency', (r) => /latency/i.test(r.text)],
  ];
  for (const [filter, keep] of cases) {
    it(`narrows every section: ${filter}`, async () => {
      expectMatchesModel(await get('victor', `${NOVEMBER}&${filter}`), keep);
    });
  }

  it('narrows every section to an event and to an author', async () => {
    expectMatchesModel(await get('victor', `${NOVEMBER}&eventId=${ev.e1}`), (r) => r.event === 'e1');
    expectMatchesModel(await get('victor', `${NOVEMBER}&authorId=${idOf.ari}`), (r) => r.who === 'ari');
    expectMatchesModel(await get('maya', `${NOVEMBER}&team=emea`), () => false);
  });
});

describe('dashboard periods', () => {
  it('resolves a month and the 30 days right before it (UTC day boundaries)', async () => {
    const d = await get('victor', NOVEMBER);
    const [from, to, previousFrom, previousTo] = ['2026-11-01', '2026-11-30', '2026-10-02', '2026-10-31'];
    expect(d.period).toEqual({
      period: 'month',
      from,
      to,
      days: 30,
      previousFrom,
      previousTo,
      label: 'Nov 2026',
    });
    // 23:59:59 on Oct 31 is previous; 00:00:00 on Nov 1 is current; Oct 1 is in neither.
    expect(d.cards[0]).toMatchObject({ value: 9, previous: 3, change: 2 });
    const card = (key: string) => d.cards.find((c) => c.key === key);
    expect(card('critical')).toMatchObject({ value: 2, previous: 1, change: 1 });
    expect(card('follow_ups_open')).toMatchObject({ value: 3, previous: 0, change: null });
    expect(d.cards.map((c) => c.key)).toEqual([...METRIC_KEYS]);
  });

  it('defaults to the last 30 days ending today, and takes custom ranges', async () => {
    const d = await get('victor');
    expect(d.period).toMatchObject({ period: 'last30', from: '2026-10-23', to: '2026-11-21', days: 30 });
    expect(d.period).toMatchObject({ previousFrom: '2026-09-23', previousTo: '2026-10-22' });
    expectMatchesModel(d, () => true);
    const c = await get('victor', 'period=custom&from=2026-10-31&to=2026-11-01');
    expect(c.period).toMatchObject({ days: 2, previousFrom: '2026-10-29', previousTo: '2026-10-30' });
    expect(c.cards[0]).toMatchObject({ value: 2, previous: 0 });
    expectMatchesModel(c, () => true);
  });

  it('gives 90 daily points ending on the period’s last day, zero days filled, by sentiment', async () => {
    const d = await get('victor', NOVEMBER);
    expect(d.trend).toHaveLength(90);
    expect(d.trend[0]?.date).toBe('2026-09-02');
    expect(d.trend.at(-1)).toEqual({ date: '2026-11-30', total: 0, positive: 0, neutral: 0, negative: 0 });
    expect(d.trend[0]).toEqual({ date: '2026-09-02', total: 1, positive: 1, neutral: 0, negative: 0 });
    expect(d.trend.find((p) => p.date === '2026-11-10')).toEqual({
      date: '2026-11-10',
      total: 1,
      positive: 0,
      neutral: 0,
      negative: 1,
    });
    const dates = d.trend.map((p) => p.date);
    expect(new Set(dates).size).toBe(90);
    expect([...dates].sort()).toEqual(dates);
    for (const p of d.trend) expect(p.positive + p.neutral + p.negative).toBe(p.total);
    expect(d.trend.filter((p) => p.total === 0).length).toBeGreaterThan(70);
  });
});

describe('dashboard contents', () => {
  it('lists every taxonomy entry with zeros, and keeps a retired id that rows still use', async () => {
    const d = await get('victor', NOVEMBER);
    expect(d.distributions.byType.map((r) => r.key)).toEqual(INSIGHT_TYPES.map((t) => t.id));
    expect(d.distributions.bySentiment.map((r) => r.key)).toEqual(SENTIMENTS.map((t) => t.id));
    expect(d.distributions.byPriority.map((r) => r.key)).toEqual(PRIORITIES.map((t) => t.id));
    expect(d.distributions.byProductArea.map((r) => r.key)).toEqual([
      ...PRODUCT_AREAS.map((t) => t.id),
      'realm',
    ]);
    expect(d.distributions.byProductArea.at(-1)).toEqual({ key: 'realm', label: 'realm', count: 1 });
    expect(d.distributions.byType.find((r) => r.key === 'competitive_mention')).toMatchObject({ count: 0 });
    expect(d.distributions.byProductArea.find((r) => r.key === 'atlas')?.count).toBe(3);
    expect(d.taxonomyVersion).toBe('2026.1');
    expect(d.generatedAt).toBe(NOW.toISOString());
  });

  it('shows critical items newest first and capture coverage per event', async () => {
    const d = await get('victor', NOVEMBER);
    expect(d.critical.map((c) => c.excerpt)).toEqual([
      'Driver crashes on reconnect latency',
      'Needs private endpoints',
    ]);
    expect(d.critical[0]).toMatchObject({ author: { name: 'Ben Carter' }, event: { name: 'DevDay Berlin' } });
    expect(d.coverage[0]).toMatchObject({
      event: { name: 'DevDay Berlin', startsOn: '2026-11-05', endsOn: '2026-11-10' },
      insights: 4,
      contributors: 3,
      sessions: 3,
      sessionsCovered: 2,
    });
    expect(d.coverage[1]).toMatchObject({ insights: 2, contributors: 1, sessions: 1, sessionsCovered: 1 });
  });

  it('counts a merged duplicate once, as its primary, and again when unmerged', async () => {
    const dup = recs.find((r) => r.merged) as Rec;
    const merged = await get('victor', NOVEMBER);
    expect(merged.critical.map((c) => c.id)).not.toContain(dup.id);
    await db().update(insights).set({ mergedIntoId: null }).where(eq(insights.id, dup.id));
    try {
      const unmerged = await get('victor', NOVEMBER);
      expect(unmerged.cards[0]?.value).toBe((merged.cards[0]?.value ?? 0) + 1);
      expect(unmerged.critical.map((c) => c.id)).toContain(dup.id);
      expect(unmerged.coverage[0]?.insights).toBe((merged.coverage[0]?.insights ?? 0) + 1);
    } finally {
      const primary = recs.find((r) => r.who === 'ben') as Rec;
      await db().update(insights).set({ mergedIntoId: primary.id }).where(eq(insights.id, dup.id));
    }
  });
});

describe('dashboard input', () => {
  const field = async (who: Who, query: string) => {
    const response = await s[who].get(`/api/v1/dashboard?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return ((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
  };

  it('answers 400 naming the field, for periods and filters', async () => {
    expect(await field('victor', 'period=last30&from=2026-11-01')).toEqual(['from']);
    expect(await field('victor', 'period=month&to=2026-11-01')).toEqual(['to']);
    expect(await field('victor', 'period=custom&from=2026-11-01')).toEqual(['to']);
    expect(await field('victor', 'period=custom&to=2026-11-01')).toEqual(['from']);
    expect(await field('victor', 'period=custom&from=2026-11-02&to=2026-11-01')).toEqual(['to']);
    expect(await field('victor', 'period=custom&from=2025-01-01&to=2026-11-01')).toEqual(['to']);
    expect(await field('victor', 'period=fortnight')).toEqual(['query.period']);
    expect(await field('victor', 'period=month&at=2026-13-01')).toEqual(['query.at']);
    expect(await field('victor', 'type=gossip')).toEqual(['query.type']);
    expect(await field('victor', 'days=30')).toEqual(['query.days']);
  });

  it('is gone at the old address', async () => {
    expect((await s.victor.get('/api/v1/dashboard/summary')).status).toBe(404);
  });
});
