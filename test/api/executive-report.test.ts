import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, ExecutiveReport, Themes } from '../../src/contract/api/reporting.ts';
import { events, insights } from '../../src/server/db/schema.ts';
import { scopeTitle } from '../../src/server/modules/reporting/executive.service.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * GET /api/v1/reports/executive: the dashboard's numbers for the same query, the top themes, and a narrative
 * whose every number is a field of the report.
 */
const NOW = new Date('2026-11-21T12:00:00.000Z');
const WHO = ['Ari', 'Ben', 'Camila', 'Fatima', 'Gustav', 'Maya', 'Victor'] as const;
type Who = (typeof WHO)[number];
const QUARTER = 'period=quarter';

let stack: TestStack;
const s = {} as Record<Who, Session>;
let eventId = '';
const critical: Record<string, string> = {};

async function capture(who: Who, at: string, text: string, fields: Record<string, unknown> = {}) {
  const id = randomUUID();
  const body = { id, text, type: 'pain_point', sentiment: 'negative', priority: 'medium', capturedAt: at };
  const response = await s[who].post('/api/v1/insights', { ...body, ...fields });
  expect(response.status).toBe(201);
  return id;
}

const BACKGROUND = [
  'Wants clearer aggregation pipeline docs',
  'Asked about schema design for orders',
  'Driver connection pool settings confuse the team',
  'Likes the charts embedding',
];

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  for (const who of WHO) s[who] = await stack.signIn(who);
  const [event] = await stack.db.database.db
    .insert(events)
    .values({
      name: 'Atlas Summit NYC',
      eventType: 'architect_day',
      startsOn: '2026-10-20',
      endsOn: '2026-10-21',
    })
    .returning();
  eventId = event?.id ?? '';
  // The previous quarter (Q3): background only.
  for (const [i, text] of BACKGROUND.entries()) {
    await capture('Ari', `2026-08-0${i + 1}T10:00:00Z`, text, { sentiment: 'neutral', type: 'question' });
    await capture('Fatima', `2026-09-0${i + 1}T10:00:00Z`, text, { sentiment: 'positive', type: 'praise' });
    await capture('Gustav', `2026-09-1${i + 1}T10:00:00Z`, text, { sentiment: 'positive', type: 'praise' });
  }
  // This quarter (Q4): an emerging theme in AMER (three people), background, critical items, an event.
  for (const [i, who] of (['Ari', 'Ben', 'Camila', 'Ari', 'Ben', 'Camila'] as const).entries())
    await capture(
      who,
      `2026-10-2${i}T10:00:00Z`,
      `Vector search latency spikes when the index grows (${i})`,
      {
        eventId: i < 3 ? eventId : null,
      },
    );
  for (const [i, text] of BACKGROUND.entries())
    await capture('Ari', `2026-11-0${i + 1}T10:00:00Z`, text, {
      type: 'feature_request',
      sentiment: 'neutral',
    });
  critical.ben = await capture('Ben', '2026-11-15T10:00:00Z', 'Cluster failover lost writes', {
    title: 'Failover lost writes',
    type: 'bug_report',
    priority: 'critical',
    eventId,
  });
  critical.fatima = await capture('Fatima', '2026-11-16T10:00:00Z', 'EU data residency blocks a deal', {
    priority: 'critical',
  });
  // A duplicate of Ben's critical report, merged into it: counted once.
  const dup = await capture('Camila', '2026-11-15T11:00:00Z', 'Failover lost writes again', {
    type: 'bug_report',
    priority: 'critical',
  });
  await stack.db.database.db.update(insights).set({ mergedIntoId: critical.ben }).where(eq(insights.id, dup));
});
afterAll(async () => {
  await stack?.close();
});

const report = (who: Who, query: string) =>
  s[who].json<ExecutiveReport>(`/api/v1/reports/executive?${query}`);
const dashboard = (who: Who, query: string) => s[who].json<Dashboard>(`/api/v1/dashboard?${query}`);
const card = (r: ExecutiveReport, key: string) => r.cards.find((c) => c.key === key);

/** Every number the narrative may say: fields of the report, and percentages computed from them. */
function traceable(r: ExecutiveReport): Set<string> {
  const out = new Set<string>();
  const pct = (ratio: number) => out.add(`${Math.round(Math.abs(ratio) * 100)}%`);
  for (const c of r.cards) {
    out.add(String(c.value)).add(String(c.previous));
    if (c.change !== null) pct(c.change);
  }
  const insights = card(r, 'insights');
  const negative = card(r, 'negative');
  if (insights?.value) pct((negative?.value ?? 0) / insights.value);
  if (insights?.previous) pct((negative?.previous ?? 0) / insights.previous);
  for (const list of Object.values(r.distributions)) for (const row of list) out.add(String(row.count));
  for (const t of r.themes) out.add(String(t.current)).add(String(t.previous));
  for (const e of r.topEvents) out.add(String(e.count));
  out.add(String(r.themes.length));
  return out;
}

function numbersIn(r: ExecutiveReport, text: string): string[] {
  const stripped = text
    .replace(/“[^”]*”/g, '“”') // quotes and titles are text, not numbers
    .replace(r.period.label, '')
    .replace(/\d{4}-\d{2}-\d{2}/g, '');
  return [...stripped.matchAll(/\d+(\.\d+)?%?/g)].map((m) => m[0]);
}

describe('executive report', () => {
  it('carries exactly the dashboard’s numbers for the same query and scope', async () => {
    for (const [who, query] of [
      ['Maya', QUARTER],
      ['Victor', QUARTER],
      ['Victor', `${QUARTER}&team=emea`],
      ['Victor', 'period=custom&from=2026-10-20&to=2026-11-15&priority=critical'],
    ] as const) {
      const [r, d] = await Promise.all([report(who, query), dashboard(who, query)]);
      expect(r.cards).toEqual(d.cards);
      expect(r.distributions).toEqual(d.distributions);
      expect(r.topEvents).toEqual(d.topEvents);
      expect(r.critical).toEqual(d.critical);
      expect(r.period).toEqual(d.period);
      expect(r.scopeLabel).toBe(d.scopeLabel);
    }
  });

  it('is scoped: a manager’s report holds only their team, merged duplicates counted once', async () => {
    const r = await report('Maya', QUARTER);
    expect(r.title).toBe('Builder Insights executive report — Q4 2026 — team amer');
    expect(card(r, 'insights')).toMatchObject({ value: 11, previous: 4, change: 1.75 });
    expect(r.critical.map((c) => c.id)).toEqual([critical.ben]);
    const all = await report('Victor', QUARTER);
    expect(all.title).toBe('Builder Insights executive report — Q4 2026 — whole organization');
    expect(card(all, 'insights')).toMatchObject({ value: 12, previous: 12, change: 0 });
    expect(all.critical.map((c) => c.id)).toEqual([critical.fatima, critical.ben]);
  });

  it('lists the top themes, the same as the themes report, with quoted citations', async () => {
    const r = await report('Victor', QUARTER);
    const themes = await s.Victor.json<Themes>(`/api/v1/themes?${QUARTER}`);
    expect(r.themes).toEqual(themes.themes.slice(0, 5));
    expect(r.themes.length).toBeGreaterThan(0);
    const latency = r.themes.find((t) => t.terms.some((term) => term.startsWith('latenc')));
    expect(latency).toMatchObject({ current: 6, previous: 0, status: 'new' });
    expect(latency?.citations.length).toBeGreaterThan(0);
  });

  it('tells the numbers in a narrative, every number traceable to the report', async () => {
    const r = await report('Victor', QUARTER);
    const text = Object.fromEntries(r.narrative.map((p) => [p.heading, p.text]));
    expect(Object.keys(text)).toEqual(['Volume', 'Mix', 'Emerging themes', 'Critical items', 'Events']);
    expect(text.Volume).toContain('From 2026-10-01 to 2026-12-31 (Q4 2026), in scope (whole organization)');
    expect(text.Volume).toContain(
      '12 insights were captured by 4 contributors at 1 event, the same as the 12 in the previous period',
    );
    expect(text.Volume).toContain('4 were feature requests');
    expect(text.Mix).toContain('By type: Pain Point (7), Feature Request (4), Bug Report (1).');
    expect(text.Mix).toContain('negative is 67% of insights, up from 0% (0 of 12)');
    const latency = r.themes.find((t) => t.terms.some((term) => term.startsWith('latenc')));
    const quote = latency?.citations[0]?.quote.map((q) => q.text).join('') ?? '∅';
    expect(text['Emerging themes']).toContain(`“${latency?.label}” in 6 insights (new this period) — “`);
    expect(text['Emerging themes']).toContain(quote.replace(/\s+/g, ' ').trim().slice(0, 40));
    expect(text['Critical items']).toContain(
      '2 insights were marked critical, against none in the previous period',
    );
    expect(text['Critical items']).toContain(
      '“Failover lost writes” (Ben Carter at Atlas Summit NYC, 2026-11-15)',
    );
    expect(text.Events).toBe('Insights came from 1 event; the most from Atlas Summit NYC (4).');
    const allowed = traceable(r);
    for (const p of r.narrative)
      for (const n of numbersIn(r, p.text))
        expect([p.heading, n, allowed.has(n)]).toEqual([p.heading, n, true]);
  });

  it('says so plainly when the period is empty', async () => {
    const r = await report('Victor', 'period=custom&from=2026-01-01&to=2026-01-31');
    expect(r.narrative.map((p) => p.heading)).toEqual([
      'Volume',
      'Emerging themes',
      'Critical items',
      'Events',
    ]);
    expect(r.narrative[0]?.text).toContain('no insights were captured; the previous period');
    expect(r.themes).toEqual([]);
    expect(r.critical).toEqual([]);
  });

  it('echoes the filter as given, and reports no summary provider by default', async () => {
    const r = await report('Maya', `${QUARTER}&at=2026-10-15&team=amer&tags=b,a&followUp=false`);
    expect(r.filters).toEqual({
      period: 'quarter',
      at: '2026-10-15',
      team: 'amer',
      tags: 'b,a',
      followUp: 'false',
    });
    expect(r.summaryAvailable).toBe(false);
    // Reports travel (PDF, CSV): the title names the reader's tree rather than "you".
    expect(scopeTitle('Your own insights, reporting tree of you', 'Erik Lindqvist')).toBe(
      'reporting tree of Erik Lindqvist',
    );
    expect(scopeTitle('Your own insights', 'Ari Levy')).toBe('insights of Ari Levy');
    expect(r.generatedAt).toBe(NOW.toISOString());
    expect(r.taxonomyVersion).toBe('2026.1');
  });

  it('answers 400 naming the field', async () => {
    for (const [query, field] of [
      ['period=last30&from=2026-11-01', 'from'],
      ['period=custom&from=2026-11-01', 'to'],
      ['period=year', 'query.period'],
      ['eventId=nope', 'query.eventId'],
    ]) {
      const response = await s.Victor.get(`/api/v1/reports/executive?${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(
        [field],
      );
    }
  });
});
