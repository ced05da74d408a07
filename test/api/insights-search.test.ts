import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsightListItem, InsightPage } from '../../src/contract/api/insights.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { eventSessions, events, insights } from '../../src/server/db/schema.ts';
import { seedDemoData } from '../../src/server/modules/demo/demo.seed.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * GET /api/v1/insights as a review list: every filter of the one insight filter, scope, merged duplicates,
 * full-text search with relevance and snippets, and keyset paging with no cap, over a fixture written straight
 * into the database so every expected set is computed here, independently of the server.
 */
const NOW = new Date('2026-11-21T12:00:00.000Z');
const EMAIL = {
  ari: 'ari.levy', // advocate, AMER
  ben: 'ben.carter', // advocate, AMER
  fatima: 'fatima.zahra', // advocate, EMEA
  maya: 'maya.patel', // manager, AMER
  erik: 'erik.lindqvist', // manager, EMEA
  dana: 'dana.okafor', // director, whole organization
  victor: 'victor.chen', // viewer, granted the whole organization
} as const;
type Who = keyof typeof EMAIL;
const PEOPLE = Object.keys(EMAIL) as Who[];
const TEAM: Record<string, string> = { ari: 'amer', ben: 'amer', maya: 'amer', fatima: 'emea', erik: 'emea' };

interface Spec {
  id: string;
  author: Who;
  text: string;
  title?: string;
  type: string;
  sentiment: string;
  priority: string;
  areas: string[];
  tags: string[];
  source: 'capture' | 'voice' | 'seed';
  session?: 0 | 1 | undefined;
  event?: boolean;
  status?: 'open' | 'in_progress' | 'done' | 'wont_do' | undefined;
  owner?: Who;
  /** ISO instant with microseconds, fixed width: sorts as text exactly as PostgreSQL sorts the instants. */
  at: string;
  merged?: string;
}

let stack: TestStack;
const s = {} as Record<Who, Session>;
const idOf = {} as Record<Who, string>;
let eventId: string;
const sessionIds: string[] = [];
const specs: Spec[] = [];
const db = () => stack.db.database.db;

const at = (day: number, hour: number, micro = 0) =>
  `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.${String(micro).padStart(6, '0')}Z`;

function spec(fields: Partial<Spec> & Pick<Spec, 'author' | 'text' | 'at'>): Spec {
  const row: Spec = {
    id: randomUUID(),
    type: 'feature_request',
    sentiment: 'neutral',
    priority: 'medium',
    areas: [],
    tags: [],
    source: 'capture',
    ...fields,
  };
  specs.push(row);
  return row;
}

async function insert(rows: Spec[]) {
  await db()
    .insert(insights)
    .values(
      rows.map((r) => ({
        id: r.id,
        authorId: idOf[r.author],
        text: r.text,
        title: r.title ?? null,
        type: r.type,
        productAreas: r.areas,
        sentiment: r.sentiment,
        priority: r.priority,
        tags: r.tags,
        source: r.source,
        followUp: r.status !== undefined,
        followUpStatus: r.status ?? null,
        followUpOwnerId: r.owner ? idOf[r.owner] : null,
        followUpUpdatedAt: r.status ? NOW : null,
        eventId: r.event || r.session !== undefined ? eventId : null,
        sessionId: r.session !== undefined ? (sessionIds[r.session] ?? null) : null,
        taxonomyVersion: '2026.1',
        capturedAt: sql`${r.at}::timestamptz` as unknown as Date,
        createdAt: NOW,
        updatedAt: NOW,
      })),
    );
}

/** Follows nextCursor to the end; every page at most `limit`. */
async function collect(who: Session, query: string, limit = 100) {
  const items: InsightListItem[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page: InsightPage = await who.json(
      `/api/v1/insights?${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    pages += 1;
    cursor = page.nextCursor;
    expect(pages).toBeLessThan(50);
  } while (cursor);
  return { items, pages };
}

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();
const expected = (predicate: (r: Spec) => boolean) =>
  specs
    .filter((r) => !r.merged && predicate(r))
    .map((r) => r.id)
    .sort();

let primary: Spec;
let duplicate: Spec;
let emeaDuplicate: Spec;

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  for (const who of PEOPLE) {
    s[who] = await stack.signIn(`${EMAIL[who]}@example.com`);
    idOf[who] = (await s[who].json<Me>('/api/v1/me')).person.id;
  }
  const [event] = await db()
    .insert(events)
    .values({
      name: 'Search Summit',
      eventType: 'hackathon',
      startsOn: '2026-11-18',
      endsOn: '2026-11-19',
      isActive: true,
    })
    .returning();
  eventId = event?.id ?? '';
  for (const title of ['Keynote', 'Workshop']) {
    const [row] = await db().insert(eventSessions).values({ eventId, title }).returning();
    sessionIds.push(row?.id ?? '');
  }

  spec({
    author: 'ari',
    text: 'Kafka sink needs exactly-once delivery',
    title: 'Kafka connector',
    at: at(20, 9),
    type: 'feature_request',
    areas: ['stream_processing'],
    tags: ['kafka', 'streaming'],
    session: 0,
    status: 'open',
    owner: 'maya',
  });
  spec({
    author: 'ben',
    text: 'We replaced our Kafka pipeline with change streams',
    at: at(20, 10),
    type: 'use_case',
    sentiment: 'positive',
    areas: ['server'],
    tags: ['streaming'],
    event: true,
    source: 'voice',
  });
  spec({
    author: 'maya',
    text: 'Streaming ingestion is hard to monitor',
    at: at(19, 9),
    type: 'pain_point',
    sentiment: 'negative',
    priority: 'high',
    areas: ['stream_processing', 'atlas'],
    tags: ['kafka', 'observability'],
    session: 1,
    status: 'in_progress',
    owner: 'erik',
  });
  spec({
    author: 'fatima',
    text: 'Kafka Kafka: the Kafka connector docs are thin',
    at: at(18, 9),
    type: 'documentation',
    priority: 'high',
    areas: ['stream_processing'],
    tags: ['docs'],
    status: 'done',
    owner: 'maya',
  });
  spec({
    author: 'erik',
    text: 'Customers ask about vector search quantization',
    at: at(17, 9),
    type: 'question',
    areas: ['atlas_vector_search'],
    tags: ['vectors'],
    source: 'seed',
  });
  spec({
    author: 'fatima',
    text: 'Vector index builds block deploys <b>really</b> badly',
    at: at(16, 9),
    type: 'bug_report',
    sentiment: 'negative',
    priority: 'critical',
    areas: ['atlas_vector_search'],
    tags: ['deploys', 'vectors'],
    status: 'wont_do',
  });
  spec({
    author: 'ari',
    text: 'Old note about vector search from last month',
    at: at(1, 9),
    type: 'question',
    areas: ['atlas_vector_search'],
    tags: ['vectors'],
  });
  spec({
    author: 'ben',
    text: 'Sentinel \u0002fake\u0003 highlight in a vector index note',
    at: at(15, 9),
    tags: ['edge'],
  });
  spec({
    author: 'ari',
    text: 'Tagged only',
    at: at(14, 9),
    tags: ['kafka', 'charts'],
    areas: ['charts'],
  });
  primary = spec({
    author: 'ben',
    text: 'Triggers fire twice after a deploy',
    at: at(13, 9),
    type: 'bug_report',
    tags: ['triggers'],
  });
  duplicate = spec({
    author: 'ari',
    text: 'Triggers fire twice after each deploy',
    at: at(13, 10),
    type: 'bug_report',
    tags: ['triggers'],
    merged: primary.id,
  });
  emeaDuplicate = spec({
    author: 'fatima',
    text: 'Triggers run two times after deploying',
    at: at(13, 11),
    type: 'bug_report',
    tags: ['triggers'],
    merged: primary.id,
  });
  // Volume for paging: groups of three identical instants (the id breaks the tie) and one a microsecond
  // later, so a cursor that rounded to milliseconds would skip or repeat rows.
  for (let i = 0; i < 130; i += 1) {
    spec({
      author: i % 2 === 0 ? 'ben' : 'erik',
      text: `p99 latency regression number ${i}${' latency'.repeat(i % 3)}`,
      at: at(10, 8 + Math.floor(i / 40), Math.floor(i / 4) * 1000 + (i % 4 === 3 ? 1 : 0)),
      type: 'pain_point',
      tags: i % 5 === 0 ? ['perf'] : [],
    });
  }
  await insert(specs);
  for (const r of specs.filter((x) => x.merged))
    await db().update(insights).set({ mergedIntoId: r.merged }).where(eq(insights.id, r.id));
});
afterAll(async () => {
  await stack?.close();
});

describe('filters', () => {
  it('every filter selects exactly the matching insights, merged duplicates left out', async () => {
    const matrix: [string, (r: Spec) => boolean][] = [
      ['', () => true],
      ['type=pain_point', (r) => r.type === 'pain_point'],
      ['sentiment=negative', (r) => r.sentiment === 'negative'],
      ['priority=high', (r) => r.priority === 'high'],
      ['productArea=stream_processing', (r) => r.areas.includes('stream_processing')],
      [`eventId=${eventId}`, (r) => Boolean(r.event) || r.session !== undefined],
      [`sessionId=${sessionIds[1]}`, (r) => r.session === 1],
      [`authorId=${idOf.fatima}`, (r) => r.author === 'fatima'],
      ['team=emea', (r) => TEAM[r.author] === 'emea'],
      ['team=nowhere', () => false],
      ['tags=kafka', (r) => r.tags.includes('kafka')],
      ['tags=kafka,streaming', (r) => r.tags.includes('kafka') && r.tags.includes('streaming')],
      ['source=voice', (r) => r.source === 'voice'],
      ['source=seed', (r) => r.source === 'seed'],
      ['followUp=true', (r) => r.status !== undefined],
      ['followUp=false', (r) => r.status === undefined],
      ['followUpStatus=in_progress', (r) => r.status === 'in_progress'],
      [`followUpOwnerId=${idOf.maya}`, (r) => r.owner === 'maya'],
      ['from=2026-11-18', (r) => r.at >= '2026-11-18'],
      ['to=2026-11-13', (r) => r.at < '2026-11-14'],
      ['from=2026-11-13&to=2026-11-13', (r) => r.at.startsWith('2026-11-13')],
      ['q=kafka', (r) => /kafka/i.test(`${r.title ?? ''} ${r.text} ${r.tags.join(' ')}`)],
      ['q=vector&type=question', (r) => r.type === 'question' && /vector/i.test(r.text)],
      [
        'q=kafka&team=amer&followUp=true',
        (r) => /kafka/i.test(`${r.text} ${r.tags}`) && TEAM[r.author] === 'amer' && !!r.status,
      ],
    ];
    for (const [query, predicate] of matrix) {
      const { items } = await collect(s.dana, query);
      expect({ query, ids: ids(items) }).toEqual({ query, ids: expected(predicate) });
    }
  });

  it('rejects bad filter values naming the field', async () => {
    for (const [query, field] of [
      ['followUpStatus=later', 'query.followUpStatus'],
      ['source=email', 'query.source'],
      ['followUpOwnerId=maya', 'query.followUpOwnerId'],
      ['sessionId=1', 'query.sessionId'],
      [`tags=${Array.from({ length: 11 }, (_, i) => `t${i}`).join(',')}`, 'query.tags'],
      [`q=${'x'.repeat(201)}`, 'query.q'],
      ['q=', 'query.q'],
      ['sort=relevance', 'query.sort'],
      ['nope=1', 'query.nope'],
    ]) {
      const response = await s.dana.get(`/api/v1/insights?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect({ query, fields: problem.errors.map((e) => e.field) }).toEqual({
        query,
        fields: expect.arrayContaining([field]),
      });
    }
  });
});

describe('scope', () => {
  const inScope: Record<Who, (r: Spec) => boolean> = {
    ari: (r) => TEAM[r.author] === 'amer',
    ben: (r) => TEAM[r.author] === 'amer',
    maya: (r) => TEAM[r.author] === 'amer',
    fatima: (r) => TEAM[r.author] === 'emea',
    erik: (r) => TEAM[r.author] === 'emea',
    dana: () => true,
    victor: () => true,
  };

  it('a list and a search contain exactly the insights of the reader’s scope', async () => {
    for (const who of ['maya', 'erik', 'ari', 'dana', 'victor'] as Who[]) {
      const listed = await collect(s[who], 'sort=oldest');
      expect({ who, ids: ids(listed.items) }).toEqual({ who, ids: expected(inScope[who]) });
      const found = await collect(s[who], 'q=kafka OR vector');
      expect({ who, ids: ids(found.items) }).toEqual({
        who,
        ids: expected((r) => inScope[who](r) && /kafka|vector/i.test(`${r.title ?? ''} ${r.text} ${r.tags}`)),
      });
    }
  });

  it('another scope’s insight answers 404, by id and as a filter finds nothing', async () => {
    const emea = specs.find((r) => r.author === 'fatima' && !r.merged) as Spec;
    expect((await s.maya.get(`/api/v1/insights/${emea.id}`)).status).toBe(404);
    expect((await s.ari.get(`/api/v1/insights/${emea.id}`)).status).toBe(404);
    expect((await s.erik.get(`/api/v1/insights/${emea.id}`)).status).toBe(200);
    expect((await s.victor.get(`/api/v1/insights/${emea.id}`)).status).toBe(200);
    expect((await collect(s.maya, `authorId=${idOf.fatima}`)).items).toEqual([]);
    expect((await collect(s.maya, 'team=emea')).items).toEqual([]);
  });

  it('a merged duplicate is left out of lists and searches but answers by id, within scope', async () => {
    for (const who of ['dana', 'maya'] as Who[]) {
      const listed = ids((await collect(s[who], 'q=triggers')).items);
      expect(listed).toEqual([primary.id]);
    }
    const [shown] = (await collect(s.dana, 'q=triggers')).items;
    expect(shown?.mergedCount).toBe(2);
    const byId = await s.maya.json<{ id: string; mergedInto: string | null }>(
      `/api/v1/insights/${duplicate.id}`,
    );
    expect(byId).toMatchObject({ id: duplicate.id, mergedInto: primary.id });
    expect((await s.maya.get(`/api/v1/insights/${emeaDuplicate.id}`)).status).toBe(404);
    expect((await s.erik.get(`/api/v1/insights/${emeaDuplicate.id}`)).status).toBe(200);
  });
});

describe('paging', () => {
  const byTime = (dir: 1 | -1) => (a: Spec, b: Spec) =>
    dir * (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  it('newest and oldest walk every insight exactly once, in order, with no cap (limit 50)', async () => {
    const all = specs.filter((r) => !r.merged);
    expect(all.length).toBeGreaterThan(130);
    for (const [sort, dir] of [
      ['newest', -1],
      ['oldest', 1],
    ] as const) {
      const { items, pages } = await collect(s.dana, sort === 'newest' ? '' : `sort=${sort}`, 50);
      expect(pages).toBe(Math.ceil(all.length / 50));
      expect(items.map((i) => i.id)).toEqual([...all].sort(byTime(dir)).map((r) => r.id));
      expect(items.every((i) => i.rank === null && i.snippet === null)).toBe(true);
    }
  });

  it('relevance pages (rank, id) return every match exactly once, best first', async () => {
    const { items, pages } = await collect(s.dana, 'q=latency', 50);
    expect(pages).toBe(3);
    expect(ids(items)).toEqual(expected((r) => r.text.includes('latency')));
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (let i = 1; i < items.length; i += 1) {
      const [prev, next] = [items[i - 1] as InsightListItem, items[i] as InsightListItem];
      expect(prev.rank).toBeGreaterThanOrEqual(next.rank ?? Number.POSITIVE_INFINITY);
      if (prev.rank === next.rank) expect(prev.id > next.id).toBe(true);
    }
    // Several distinct ranks, and ties within them: both halves of the keyset are exercised.
    expect(new Set(items.map((i) => i.rank)).size).toBeGreaterThan(1);
  });

  it('a cursor continues only the list it came from', async () => {
    const newest = await s.dana.json<InsightPage>('/api/v1/insights?limit=5');
    const relevance = await s.dana.json<InsightPage>('/api/v1/insights?q=latency&limit=5');
    const tampered = Buffer.from(JSON.stringify(['n', 'yesterday', randomUUID(), 'x'])).toString('base64url');
    for (const [query, message] of [
      [`sort=oldest&cursor=${newest.nextCursor}`, /sort=newest/],
      [`q=latency&sort=newest&cursor=${relevance.nextCursor}`, /sort=relevance/],
      [`q=kafka&cursor=${relevance.nextCursor}`, /other filters/],
      [`type=question&cursor=${newest.nextCursor}`, /other filters/],
      [`cursor=${tampered}`, /not a valid cursor/],
      ['cursor=%5B%5D', /not a valid cursor/],
    ] as const) {
      const response = await s.dana.get(`/api/v1/insights?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      const problem = (await response.json()) as { errors: { field: string; message: string }[] };
      expect(problem.errors[0]?.field).toBe('query.cursor');
      expect(problem.errors[0]?.message).toMatch(message);
    }
    // The same cursor with its own list works, and a different page size is fine.
    expect((await s.dana.get(`/api/v1/insights?limit=7&cursor=${newest.nextCursor}`)).status).toBe(200);
  });
});

describe('full-text search', () => {
  it('ranks title over text over tags, and stems (connectors → connector)', async () => {
    const page = await s.dana.json<InsightPage>('/api/v1/insights?q=connectors&limit=100');
    const titled = specs.find((r) => r.title === 'Kafka connector') as Spec;
    const texted = specs.find((r) => r.text.startsWith('Kafka Kafka')) as Spec;
    expect(page.items.map((i) => i.id)).toEqual([titled.id, texted.id]);
    const kafka = await s.dana.json<InsightPage>('/api/v1/insights?q=kafka&limit=100');
    const order = kafka.items.map((i) => i.id);
    // Ari's has Kafka in the title, text and tags (1 + 0.4 + 0.2 with the default weights); Fatima's text says
    // it three times (3 × 0.4); Ben's once in the text;
    // Maya's and "Tagged only" in their tags alone: those two rank last, tied, the id breaking the tie.
    const inTextOrTitle = expected((r) => /kafka/i.test(`${r.title} ${r.text}`));
    const tagOnly = expected((r) => !/kafka/i.test(`${r.title} ${r.text}`) && r.tags.includes('kafka'));
    expect(order.slice(0, 2)).toEqual([titled.id, texted.id]);
    expect([...order.slice(0, 3)].sort()).toEqual(inTextOrTitle);
    expect(order.slice(3)).toEqual([...tagOnly].sort().reverse());
    expect(kafka.items[3]?.rank).toBe(kafka.items[4]?.rank);
    expect(kafka.items.every((i) => typeof i.rank === 'number' && i.rank > 0)).toBe(true);
  });

  it('web-search syntax: quoted phrases, OR, -exclude', async () => {
    const phrase = await collect(s.dana, 'q="vector search"');
    expect(ids(phrase.items)).toEqual(expected((r) => /vector search/i.test(r.text)));
    const excluded = await collect(s.dana, 'q=vector -quantization');
    expect(ids(excluded.items)).toEqual(
      expected((r) => /vector/i.test(`${r.text} ${r.tags}`) && !/quantization/i.test(r.text)),
    );
    expect((await collect(s.dana, 'q=the')).items).toEqual([]);
  });

  it('snippets are text segments with the matches marked, never HTML, for any sort', async () => {
    const page = await s.dana.json<InsightPage>('/api/v1/insights?q=vector index&sort=newest&limit=100');
    const item = page.items.find((i) => i.text.includes('<b>really</b>'));
    expect(item?.snippet).toBeTruthy();
    const snippet = item?.snippet ?? [];
    expect(snippet.filter((seg) => seg.match).map((seg) => seg.text.toLowerCase())).toEqual([
      'vector',
      'index',
    ]);
    expect(snippet.map((seg) => seg.text).join('')).toContain('<b>really</b>');
    expect(JSON.stringify(page.items.map((i) => i.snippet))).not.toMatch(/\\u000[23]/);
    // A stored text cannot fake a highlight with the sentinels.
    const sentinel = page.items.find((i) => i.text.startsWith('Sentinel'));
    expect(sentinel?.snippet?.filter((seg) => seg.match).map((seg) => seg.text)).toEqual(['vector', 'index']);
    expect(sentinel?.snippet?.map((seg) => seg.text).join('')).toContain('Sentinel fake highlight');
    // Without q: no rank, no snippet.
    const plain = await s.dana.json<InsightPage>('/api/v1/insights?limit=3');
    expect(plain.items.every((i) => i.snippet === null && i.rank === null)).toBe(true);
  });
});

describe('demo data', () => {
  it('is deterministic and realistic: distinct texts, a few true near-duplicates, follow-ups, growing themes', async () => {
    const seedOnce = async () => {
      const target = await createTestDatabase();
      const result = await seedDemoData(target.database.db, {
        issuer: stack.idp.issuer,
        access: stack.config.access,
        now: NOW,
      });
      return { target, result, db: target.database.db };
    };
    const [first, second] = [await seedOnce(), await seedOnce()];
    try {
      expect(first.result).toEqual({ people: 14, events: 4, insights: 56 });
      const rows = async (d: typeof first.db) =>
        d
          .select({ id: insights.id, text: insights.text, at: insights.capturedAt })
          .from(insights)
          .orderBy(insights.id);
      expect(await rows(second.db)).toEqual(await rows(first.db));

      const d = first.db;
      const one = async <T>(query: ReturnType<typeof sql>) =>
        ((await d.execute(query)) as unknown as { rows: T[] }).rows;
      expect((await one<{ n: number }>(sql`select count(distinct text)::int n from insights`))[0]?.n).toBe(
        56,
      );
      // Near-duplicates: exactly the reworded repeats of four complaints (1 + 3 + 3 + 1 pairs), nothing else.
      const pairs = await one<{ a: string; b: string }>(
        sql`select a.text a, b.text b from insights a join insights b on a.id < b.id where similarity(a.text, b.text) > 0.5`,
      );
      expect(pairs).toHaveLength(8);
      const topics = pairs.map(({ a, b }) =>
        ['change stream', 'fire twice', 'cost visibility', 'vector index'].find(
          (t) => a.toLowerCase().includes(t) && b.toLowerCase().includes(t),
        ),
      );
      expect(topics.every(Boolean)).toBe(true);

      const states = await one<{ status: string; owner: boolean; url: boolean; flagged: boolean }>(
        sql`select follow_up_status status, follow_up_owner_id is not null owner, follow_up_issue_url is not null url, follow_up flagged from insights where follow_up or follow_up_status is not null`,
      );
      expect(states.every((r) => r.flagged && r.status)).toBe(true);
      expect(new Set(states.map((r) => r.status))).toEqual(
        new Set(['open', 'in_progress', 'done', 'wont_do']),
      );
      expect(states.filter((r) => r.owner && r.url).length).toBeGreaterThanOrEqual(3);

      // Last 30 days (today included) against the 30 before, as the reports count periods.
      const growth = await one<{ q: string; recent: number; earlier: number; authors: number }>(sql`
        select q,
          count(*) filter (where captured_at >= '2026-10-23') ::int recent,
          count(*) filter (where captured_at < '2026-10-23' and captured_at >= '2026-09-23')::int earlier,
          count(distinct author_id) filter (where captured_at >= '2026-10-23')::int authors
        from insights, (values ('hybrid search'), ('mcp server')) v(q)
        where search_vector @@ phraseto_tsquery('english', q) group by q order by q`);
      expect(growth).toEqual([
        { q: 'hybrid search', recent: 10, earlier: 0, authors: expect.any(Number) },
        { q: 'mcp server', recent: 10, earlier: 0, authors: expect.any(Number) },
      ]);
      expect(growth.every((g) => g.authors >= 2)).toBe(true);
    } finally {
      await first.target.drop();
      await second.target.drop();
    }
  });
});
