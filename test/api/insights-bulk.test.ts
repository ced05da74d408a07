import { randomUUID } from 'node:crypto';
import { count, desc, eq, inArray, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight, InsightBulkResult } from '../../src/contract/api/insights.ts';
import { auditEvents, insights } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/** POST /api/v1/insights/bulk: role, scope, bounds, all-or-nothing, versions and audit. */
let clock = new Date('2026-11-21T12:00:00.000Z');
let stack: TestStack;
let ari: Session; // advocate, AMER
let ben: Session; // advocate, AMER
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let priya: Session; // admin
let victor: Session; // viewer

const db = () => stack.db.database.db;
// Refused requests are recorded too (access.denied, written after the response): not a change of insights.
const auditCount = async () =>
  Number(
    (await db().select({ n: count() }).from(auditEvents).where(ne(auditEvents.action, 'access.denied')))[0]
      ?.n,
  );

async function capture(who: Session, fields: Record<string, unknown> = {}): Promise<Insight> {
  const response = await who.post('/api/v1/insights', {
    id: randomUUID(),
    text: 'Needs better docs',
    type: 'documentation',
    productAreas: ['atlas'],
    sentiment: 'neutral',
    priority: 'medium',
    tags: [],
    capturedAt: new Date(clock.getTime() - 3_600_000).toISOString(),
    ...fields,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Insight;
}

async function bulk(who: Session, body: unknown) {
  const response = await who.post('/api/v1/insights/bulk', body);
  return {
    response,
    body: (await response.json()) as InsightBulkResult & { errors?: { field: string; message: string }[] },
  };
}

async function stored(ids: string[]) {
  const rows = await db()
    .select({ id: insights.id, version: insights.version, tags: insights.tags, type: insights.type })
    .from(insights)
    .where(inArray(insights.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
  [ari, ben, fatima, maya, priya, victor] = (await Promise.all(
    ['ari.levy', 'ben.carter', 'fatima.zahra', 'maya.patel', 'priya.raman', 'victor.chen'].map((n) =>
      stack.signIn(`${n}@example.com`),
    ),
  )) as [Session, Session, Session, Session, Session, Session];
});
afterAll(async () => {
  await stack?.close();
});

describe('who may change insights in bulk', () => {
  it('advocates and viewers get 403 before any lookup (unknown ids too), nothing written', async () => {
    const mine = await capture(ari);
    const before = await auditCount();
    for (const who of [ari, victor]) {
      for (const ids of [[mine.id], [randomUUID()]]) {
        const { response } = await bulk(who, { ids, addTags: ['x'] });
        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    }
    expect(await auditCount()).toBe(before);
    expect((await stored([mine.id])).get(mine.id)?.version).toBe(1);
  });

  it('every id must be in the actor’s scope: 404 naming each ids[i] outside it, nothing written', async () => {
    const amer = await capture(ben);
    const emea = await capture(fatima);
    const before = await auditCount();
    const missing = randomUUID();
    const { response, body } = await bulk(maya, { ids: [amer.id, emea.id, missing], addTags: ['triage'] });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.errors?.map((e) => e.field)).toEqual(['body.ids[1]', 'body.ids[2]']);
    expect(JSON.stringify(body)).not.toContain(emea.text);
    expect(await auditCount()).toBe(before);
    const rows = await stored([amer.id, emea.id]);
    expect(rows.get(amer.id)).toMatchObject({ version: 1, tags: [] });
    // An admin reads (and curates) the whole organization.
    const admin = await bulk(priya, { ids: [amer.id, emea.id], priority: 'high' });
    expect(admin.response.status).toBe(200);
    expect(admin.body.updated.map((u) => u.id)).toEqual([amer.id, emea.id]);
  });
});

describe('validation', () => {
  it('answers 400 naming the field, and writes nothing', async () => {
    const crowded = await capture(ben, { tags: Array.from({ length: 19 }, (_, i) => `t${i}`) });
    const areas = await capture(ben, {
      productAreas: [
        'atlas',
        'atlas_search',
        'atlas_vector_search',
        'server',
        'drivers',
        'compass',
        'charts',
      ],
    });
    const other = await capture(ben);
    const before = await auditCount();
    const cases: [string, unknown, string][] = [
      ['no ids', { ids: [], addTags: ['a'] }, 'body.ids'],
      ['repeated id', { ids: [other.id, other.id], addTags: ['a'] }, 'body.ids'],
      ['not a uuid', { ids: ['nope'], addTags: ['a'] }, 'body.ids.0'],
      ['nothing to change', { ids: [other.id] }, 'body'],
      ['unknown field', { ids: [other.id], text: 'x', addTags: ['a'] }, 'body.text'],
      ['bad enum', { ids: [other.id], sentiment: 'ecstatic' }, 'body.sentiment'],
      ['add and remove', { ids: [other.id], addTags: ['Perf'], removeTags: ['perf'] }, 'body.removeTags'],
      [
        'add and remove an area',
        { ids: [other.id], addProductAreas: ['atlas'], removeProductAreas: ['atlas'] },
        'body.removeProductAreas',
      ],
      ['too many tags', { ids: [other.id, crowded.id], addTags: ['a', 'b'] }, 'body.addTags'],
      [
        'too many areas',
        { ids: [areas.id], addProductAreas: ['charts', 'voyage_ai', 'data_federation'] },
        'body.addProductAreas',
      ],
      ['too many ids', { ids: Array.from({ length: 201 }, () => randomUUID()), addTags: ['a'] }, 'body.ids'],
    ];
    for (const [name, payload, field] of cases) {
      const { response, body } = await bulk(maya, payload);
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect({ name, fields: body.errors?.map((e) => e.field) }).toEqual({ name, fields: [field] });
    }
    const tooMany = await bulk(maya, { ids: [other.id, crowded.id], addTags: ['a', 'b'] });
    expect(tooMany.body.errors?.[0]?.message).toMatch(/ids\[1\] 21 tags; an insight has at most 20/);
    expect(await auditCount()).toBe(before);
    const rows = await stored([crowded.id, other.id, areas.id]);
    expect([...rows.values()].map((r) => r.version)).toEqual([1, 1, 1]);
    // Exactly at the bound is fine; an existing tag in another case does not count twice.
    const ok = await bulk(maya, { ids: [crowded.id], addTags: ['T0', 'last'] });
    expect(ok.response.status).toBe(200);
    expect((await stored([crowded.id])).get(crowded.id)?.tags).toHaveLength(20);
  });
});

describe('applying a bulk change', () => {
  it('changes what differs in one transaction: versions, audit per insight with the bulkId, unchanged left alone', async () => {
    const a = await capture(ari, { tags: ['RAG', 'onboarding'], type: 'pain_point' });
    const b = await capture(ben, { tags: ['Onboarding'] });
    const c = await capture(ben, { tags: ['rag'], type: 'pain_point', productAreas: ['atlas'] });
    clock = new Date(clock.getTime() + 60_000);
    const before = await auditCount();
    const { response, body } = await bulk(maya, {
      ids: [a.id, b.id, c.id],
      type: 'pain_point',
      addTags: ['rag', 'Rag'],
      removeTags: ['ONBOARDING'],
    });
    expect(response.status).toBe(200);
    expect(body.updated).toEqual([
      { id: a.id, version: 2 },
      { id: b.id, version: 2 },
    ]);
    expect(body.unchanged).toEqual([c.id]);

    const after = await Promise.all([a, b, c].map((i) => maya.json<Insight>(`/api/v1/insights/${i.id}`)));
    expect(after.map((i) => [i.tags, i.type, i.version])).toEqual([
      [['RAG'], 'pain_point', 2],
      [['rag'], 'pain_point', 2],
      [['rag'], 'pain_point', 1],
    ]);
    expect(after[0]?.updatedAt).toBe(clock.toISOString());
    expect(after[2]?.updatedAt).toBe(c.updatedAt);

    const events = await db()
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.action, ['insight.updated', 'insight.bulk_updated']))
      .orderBy(auditEvents.seq);
    const mine = events.slice(-3);
    expect(await auditCount()).toBe(before + 3);
    expect(mine.map((e) => [e.action, e.targetId])).toEqual([
      ['insight.updated', a.id],
      ['insight.updated', b.id],
      ['insight.bulk_updated', null],
    ]);
    expect(mine[0]?.details).toEqual({
      fromVersion: 1,
      toVersion: 2,
      changed: ['tags'],
      bulkId: body.bulkId,
    });
    expect(mine[1]?.details).toEqual({
      fromVersion: 1,
      toVersion: 2,
      changed: ['type', 'tags'],
      bulkId: body.bulkId,
    });
    expect(mine[2]?.details).toEqual({
      bulkId: body.bulkId,
      requested: 3,
      updated: 2,
      changes: { type: 'pain_point', addTags: ['rag', 'Rag'], removeTags: ['ONBOARDING'] },
    });
    expect(mine.every((e) => e.actorRole === 'manager')).toBe(true);

    // The new version is what an edit must start from now.
    const stale = await ari.send('PATCH', `/api/v1/insights/${a.id}`, { version: 1, priority: 'low' });
    expect(stale.status).toBe(409);
  });

  it('reclassifies product areas and priority; a repeat of the same change is all unchanged', async () => {
    const x = await capture(ben, { productAreas: ['atlas', 'charts'] });
    const payload = {
      ids: [x.id],
      addProductAreas: ['drivers'],
      removeProductAreas: ['charts'],
      priority: 'critical',
    };
    const first = await bulk(maya, payload);
    expect(first.body.updated).toEqual([{ id: x.id, version: 2 }]);
    const now = await maya.json<Insight>(`/api/v1/insights/${x.id}`);
    expect(now).toMatchObject({ productAreas: ['atlas', 'drivers'], priority: 'critical' });
    const before = await auditCount();
    const again = await bulk(maya, payload);
    expect(again.body).toMatchObject({ updated: [], unchanged: [x.id] });
    // The request itself is still on record, changing nothing.
    expect(await auditCount()).toBe(before + 1);
    const [last] = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'insight.bulk_updated'))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(last?.details).toMatchObject({ updated: 0, requested: 1 });
  });
});
