import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight } from '../../src/contract/api/insights.ts';
import { auditEvents, eventSessions, events, insights } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let ari: Session; // advocate, AMER
let ben: Session; // advocate, AMER
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let erik: Session; // manager, EMEA
let dana: Session; // director, org-wide
let victor: Session; // viewer
let eventId: string;
let sessionId: string;

beforeAll(async () => {
  stack = await startStack();
  [ari, ben, fatima, maya, erik, dana, victor] = (await Promise.all(
    [
      'ari.levy',
      'ben.carter',
      'fatima.zahra',
      'maya.patel',
      'erik.lindqvist',
      'dana.okafor',
      'victor.chen',
    ].map((n) => stack.signIn(`${n}@example.com`)),
  )) as Session[] as [Session, Session, Session, Session, Session, Session, Session];
  const [event] = await stack.db.database.db
    .insert(events)
    .values({
      name: 'Test Conf',
      eventType: 'hackathon',
      startsOn: '2026-11-20',
      endsOn: '2026-11-21',
      isActive: true,
    })
    .returning();
  eventId = event?.id ?? '';
  const [s] = await stack.db.database.db
    .insert(eventSessions)
    .values({ eventId, title: 'Opening' })
    .returning();
  sessionId = s?.id ?? '';
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;
const countInsights = async () => Number((await db().select({ n: count() }).from(insights))[0]?.n);
const countAudit = async () => Number((await db().select({ n: count() }).from(auditEvents))[0]?.n);

function newInsight(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    text: 'Vector index setup needs a clearer numDimensions guide',
    type: 'documentation',
    productAreas: ['atlas_vector_search'],
    sentiment: 'negative',
    priority: 'high',
    tags: ['onboarding'],
    followUp: false,
    capturedAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('capturing an insight', () => {
  it('creates it with the author from the session, never from the body, and audits it in the same transaction', async () => {
    const body = newInsight({ eventId, sessionId, developer: { role: 'ML engineer', company: 'Acme' } });
    const response = await ari.post('/api/v1/insights', body);
    expect(response.status).toBe(201);
    const insight = (await response.json()) as Insight;
    expect(insight).toMatchObject({
      id: body.id,
      text: body.text,
      type: 'documentation',
      author: { name: 'Ari Levy' },
      event: { id: eventId, name: 'Test Conf' },
      session: { id: sessionId, title: 'Opening' },
      source: 'capture',
      version: 1,
      taxonomyVersion: '2026.1',
    });
    const [audit] = await db().select().from(auditEvents).where(eq(auditEvents.targetId, body.id));
    expect(audit).toMatchObject({ action: 'insight.created', outcome: 'success', targetType: 'insight' });
    expect(audit?.actorId).toBe(insight.author.id);
  });

  it('is idempotent on the client id: retries return the stored insight (200), never a duplicate', async () => {
    const body = newInsight();
    const [before, auditsBefore] = [await countInsights(), await countAudit()];
    const first = await ari.post('/api/v1/insights', body);
    const retries = await Promise.all([1, 2, 3].map(() => ari.post('/api/v1/insights', body)));
    expect(first.status).toBe(201);
    expect(retries.map((r) => r.status)).toEqual([200, 200, 200]);
    const stored = (await retries[0]?.json()) as { id: string };
    expect(stored.id).toBe(body.id);
    expect(await countInsights()).toBe(before + 1);
    expect(await countAudit()).toBe(auditsBefore + 1);
  });

  it('answers 409 when another person reuses an id, and reveals nothing of the original', async () => {
    const body = newInsight();
    expect((await ari.post('/api/v1/insights', body)).status).toBe(201);
    const clash = await ben.post('/api/v1/insights', { ...body, text: 'something else' });
    expect(clash.status).toBe(409);
    const problem = await clash.json();
    expect(JSON.stringify(problem)).not.toContain(body.text);
  });

  it('rejects bad input with problem+json naming the field, and writes nothing', async () => {
    const [before, auditsBefore] = [await countInsights(), await countAudit()];
    const cases: [string, unknown, number, string | null][] = [
      ['malformed JSON', '{"id": "x", ', 400, null],
      ['unknown field', newInsight({ authorId: randomUUID() }), 400, 'body.authorId'],
      ['wrong enum', newInsight({ sentiment: 'ecstatic' }), 400, 'body.sentiment'],
      ['oversized field', newInsight({ text: 'x'.repeat(5001) }), 400, 'body.text'],
      ['missing field', { ...newInsight(), type: undefined }, 400, 'body.type'],
      ['not a uuid', newInsight({ id: 'abc' }), 400, 'body.id'],
      [
        'too many tags',
        newInsight({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
        400,
        'body.tags',
      ],
      [
        'future capture',
        newInsight({ capturedAt: new Date(Date.now() + 3_600_000).toISOString() }),
        400,
        'body.capturedAt',
      ],
      ['unknown event', newInsight({ eventId: randomUUID() }), 400, 'body.eventId'],
      ['session without event', newInsight({ sessionId }), 400, 'body.eventId'],
      ['oversized body', newInsight({ text: 'x'.repeat(1_100_000) }), 413, null],
    ];
    for (const [name, body, status, field] of cases) {
      const response = await ari.post('/api/v1/insights', body);
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as {
        title: string;
        detail: string;
        errors?: { field: string }[];
      };
      expect(problem.title).toBeTruthy();
      expect(JSON.stringify(problem)).not.toMatch(/stack|select |insert |at .*\.ts:/i);
      if (field)
        expect({ name, fields: problem.errors?.map((e) => e.field) }).toEqual({
          name,
          fields: expect.arrayContaining([field]),
        });
    }
    expect(await countInsights()).toBe(before);
    expect(await countAudit()).toBe(auditsBefore);
  });

  it('does not let viewers write', async () => {
    const response = await victor.post('/api/v1/insights', newInsight());
    expect(response.status).toBe(403);
  });

  it('requires the CSRF token and refuses cross-site writes', async () => {
    expect((await ari.post('/api/v1/insights', newInsight(), { 'x-csrf-token': 'nope' })).status).toBe(403);
    expect(
      (await ari.post('/api/v1/insights', newInsight(), { 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
    // Another person's CSRF token is worthless with this session.
    expect((await ari.post('/api/v1/insights', newInsight(), { 'x-csrf-token': ben.csrf })).status).toBe(403);
  });
});

describe('reading insights within scope', () => {
  let emeaId: string;
  let amerIds: string[];
  beforeAll(async () => {
    const fat = newInsight({ text: 'EMEA only insight' });
    emeaId = fat.id;
    await fatima.post('/api/v1/insights', fat);
    amerIds = [];
    for (let i = 0; i < 3; i += 1) {
      const body = newInsight({ text: `Ben AMER insight ${i}` });
      amerIds.push(body.id);
      await ben.post('/api/v1/insights', body);
    }
  });

  it('another scope’s insight answers 404, never 403', async () => {
    expect((await ari.get(`/api/v1/insights/${emeaId}`)).status).toBe(404);
    expect((await maya.get(`/api/v1/insights/${emeaId}`)).status).toBe(404);
    expect((await erik.get(`/api/v1/insights/${emeaId}`)).status).toBe(200);
    expect((await dana.get(`/api/v1/insights/${emeaId}`)).status).toBe(200);
    expect((await victor.get(`/api/v1/insights/${emeaId}`)).status).toBe(200);
    expect((await ari.get(`/api/v1/insights/${amerIds[0]}`)).status).toBe(200);
  });

  it('lists only what the scope allows', async () => {
    const texts = async (s: Session) =>
      (await s.json<{ items: { text: string; author: { name: string } }[] }>('/api/v1/insights?limit=100'))
        .items;
    const mayaSees = await texts(maya);
    expect(mayaSees.some((i) => i.text === 'EMEA only insight')).toBe(false);
    expect(mayaSees.filter((i) => i.text.startsWith('Ben AMER')).length).toBe(3);
    const erikSees = await texts(erik);
    expect(erikSees.every((i) => i.author.name === 'Fatima Zahra')).toBe(true);
    expect((await texts(dana)).some((i) => i.text === 'EMEA only insight')).toBe(true);
  });

  it('pages with a cursor: every insight exactly once, no silent cap', async () => {
    const all = await dana.json<{ items: { id: string }[]; nextCursor: string | null }>(
      '/api/v1/insights?limit=100',
    );
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await dana.json(
        `/api/v1/insights?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i) => i.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters server-side and rejects unknown or invalid parameters', async () => {
    const docs = await dana.json<{ items: { type: string }[] }>(
      '/api/v1/insights?type=documentation&limit=100',
    );
    expect(docs.items.length).toBeGreaterThan(0);
    expect(docs.items.every((i) => i.type === 'documentation')).toBe(true);
    const byArea = await dana.json<{ items: { productAreas: string[] }[] }>(
      '/api/v1/insights?productArea=atlas_vector_search',
    );
    expect(byArea.items.every((i) => i.productAreas.includes('atlas_vector_search'))).toBe(true);
    const byEvent = await dana.json<{ items: { event: { id: string } }[] }>(
      `/api/v1/insights?eventId=${eventId}`,
    );
    expect(byEvent.items.length).toBe(1);
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const all = await dana.json<{ items: unknown[] }>('/api/v1/insights?limit=100');
    const dated = await dana.json<{ items: unknown[] }>(
      `/api/v1/insights?from=${today}&to=${today}&limit=100`,
    );
    expect(dated.items.length).toBe(all.items.length);
    const before = await dana.json<{ items: unknown[] }>(`/api/v1/insights?to=${yesterday}`);
    expect(before.items).toHaveLength(0);
    const followUps = await dana.json<{ items: { followUp: boolean }[] }>('/api/v1/insights?followUp=true');
    expect(followUps.items).toHaveLength(0);

    const tooMany = (await (await dana.get('/api/v1/insights?limit=1000')).json()) as {
      errors: { message: string }[];
    };
    expect(tooMany.errors[0]?.message).toBe('must be at most 100');
    for (const [query, field] of [
      ['limit=1000', 'query.limit'],
      ['limit=abc', 'query.limit'],
      ['type=nope', 'query.type'],
      ['sort=desc', 'query.sort'],
      ['sort=relevance', 'query.sort'],
      ['cursor=garbage', 'query.cursor'],
      ['from=yesterday', 'query.from'],
    ]) {
      const response = await dana.get(`/api/v1/insights?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
  });

  it('a merged duplicate answers by id, within scope, but is left out of the list', async () => {
    const [primary, duplicate] = amerIds as [string, string];
    await db().update(insights).set({ mergedIntoId: primary }).where(eq(insights.id, duplicate));
    const shown = await maya.json<Insight>(`/api/v1/insights/${duplicate}`);
    expect(shown).toMatchObject({ id: duplicate, mergedInto: primary, mergedCount: 0 });
    expect((await maya.json<Insight>(`/api/v1/insights/${primary}`)).mergedCount).toBe(1);
    expect((await erik.get(`/api/v1/insights/${duplicate}`)).status).toBe(404);
    const listed = await dana.json<{ items: { id: string }[] }>('/api/v1/insights?limit=100');
    expect(listed.items.map((i) => i.id)).toContain(primary);
    expect(listed.items.map((i) => i.id)).not.toContain(duplicate);
    await db().update(insights).set({ mergedIntoId: null }).where(eq(insights.id, duplicate));
  });
});
