import { randomUUID } from 'node:crypto';
import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight, InsightBatchResult } from '../../src/contract/api/insights.ts';
import { auditEvents, eventSessions, events, insights } from '../../src/server/db/schema.ts';
import { verifyAuditChain } from '../../src/server/modules/audit/audit.service.ts';
import { outboxInsight } from '../helpers/insights.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The batch sync writes the good items of a batch together (one transaction, one multi-row insert, one append
 * of their audit events to the hash chain) and answers each item as if it had been saved on its own. These
 * tests hold it to that: per-item results in order, exactly one row and one audit event per new insight, an
 * item PostgreSQL refuses failing alone, the chain verifying after, and answers built from the inserted row
 * equal to what a read returns.
 */

let stack: TestStack;
let ari: Session; // advocate, AMER
let ben: Session; // advocate, AMER
let eventId: string;
let sessionId: string;

beforeAll(async () => {
  stack = await startStack();
  [ari, ben] = (await Promise.all(['Ari', 'Ben'].map((who) => stack.signIn(who)))) as [Session, Session];
  const [event] = await db()
    .insert(events)
    .values({ name: 'Batch Conf', eventType: 'hackathon', startsOn: '2026-11-20', endsOn: '2026-11-21' })
    .returning();
  eventId = event?.id ?? '';
  const [s] = await db().insert(eventSessions).values({ eventId, title: 'Opening' }).returning();
  sessionId = s?.id ?? '';
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;
const countInsights = async () => Number((await db().select({ n: count() }).from(insights))[0]?.n);
const createdEvents = (ids: string[]) =>
  db().select().from(auditEvents).where(inArray(auditEvents.targetId, ids)).orderBy(asc(auditEvents.seq));
const rowsOf = (ids: string[]) => db().select().from(insights).where(inArray(insights.id, ids));

async function batch(who: Session, items: unknown[]) {
  const response = await who.post('/api/v1/insights/batch', { items });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as InsightBatchResult).results;
}

const read = (who: Session, id: string) => who.json<Insight>(`/api/v1/insights/${id}`);

async function expectChainValid() {
  const verification = await verifyAuditChain(db());
  expect(verification.problem ?? null).toBeNull();
  expect(verification.ok).toBe(true);
}

describe('batch sync as one write', () => {
  it('answers a mix of new, already synced, repeated, foreign and invalid items, one row and one event per new one', async () => {
    const synced = outboxInsight({ text: 'Synced last time' });
    expect((await batch(ari, [synced])).map((r) => r.status)).toEqual(['created']);
    const bens = outboxInsight({ text: 'Ben wrote this' });
    expect((await batch(ben, [bens])).map((r) => r.status)).toEqual(['created']);

    const plain = outboxInsight({ text: 'New at the booth', tags: ['x', 'x', 'y'] });
    const atSession = outboxInsight({
      eventId,
      sessionId,
      followUp: true,
      title: 'With a session',
      developer: { role: 'backend' },
    });
    const last = outboxInsight({ text: 'The last new one', source: 'voice' });
    const unknownSession = outboxInsight({ eventId, sessionId: randomUUID() });
    const [rowsBefore, seqBefore] = [
      await countInsights(),
      Number((await db().select({ n: sql<number>`max(seq)` }).from(auditEvents))[0]?.n ?? 0),
    ];

    const results = await batch(ari, [
      plain,
      { ...outboxInsight({ text: 'Resent with other words' }), id: synced.id },
      { ...outboxInsight(), sentiment: 'ecstatic' },
      atSession,
      { ...outboxInsight({ text: 'The same id again' }), id: plain.id },
      { ...outboxInsight(), id: bens.id },
      unknownSession,
      last,
    ]);

    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 'created'],
      [1, 'duplicate'],
      [2, 'rejected'],
      [3, 'created'],
      [4, 'duplicate'],
      [5, 'conflict'],
      [6, 'rejected'],
      [7, 'created'],
    ]);
    expect(results.map((r) => r.id)).toEqual([
      plain.id,
      synced.id,
      expect.any(String),
      atSession.id,
      plain.id,
      bens.id,
      unknownSession.id,
      last.id,
    ]);
    expect(results[1]?.insight).toMatchObject({ id: synced.id, text: 'Synced last time', version: 1 });
    expect(results[4]?.insight).toEqual(results[0]?.insight);
    expect(results[2]?.problem?.errors?.map((e) => e.field)).toEqual(['items[2].sentiment']);
    expect(results[5]).toEqual({
      id: bens.id,
      index: 5,
      status: 'conflict',
      problem: { title: 'Conflict', detail: expect.any(String) },
    });
    expect(results[6]?.problem?.errors).toEqual([
      { field: 'items[6].sessionId', message: 'no such session in this event' },
    ]);
    // Built from the inserted rows, the answers are exactly what reading the insights returns.
    for (const i of [0, 3, 7]) {
      const answer = results[i]?.insight as Insight;
      expect(answer).toEqual(await read(ari, answer.id));
    }
    expect(results[3]?.insight).toMatchObject({
      event: { id: eventId, name: 'Batch Conf' },
      session: { id: sessionId, title: 'Opening' },
      followUp: true,
      followUpState: { status: 'open', owner: null },
      developer: { role: 'backend' },
      author: { name: 'Ari Levy' },
    });
    expect(results[0]?.insight?.tags).toEqual(['x', 'y']);

    // Exactly one row and one insight.created per new insight, appended in request order; nothing else.
    const fresh = [plain.id, atSession.id, last.id];
    expect(await countInsights()).toBe(rowsBefore + 3);
    expect((await rowsOf([synced.id, bens.id])).map((r) => r.text).sort()).toEqual([
      'Ben wrote this',
      'Synced last time',
    ]);
    const appended = await db()
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.seq} > ${seqBefore}`)
      .orderBy(asc(auditEvents.seq));
    expect(appended.map((e) => [e.action, e.targetId])).toEqual(fresh.map((id) => ['insight.created', id]));
    expect(appended[1]).toMatchObject({
      actorId: results[3]?.insight?.author.id,
      outcome: 'success',
      details: {
        type: 'feature_request',
        sentiment: 'neutral',
        priority: 'medium',
        source: 'capture',
        eventId,
      },
    });
    expect(appended[2]?.details).toMatchObject({ source: 'voice', eventId: null });
    await expectChainValid();
  });

  it('resends a whole batch as duplicates after a dropped answer, writing nothing new', async () => {
    const items = Array.from({ length: 30 }, (_, i) => outboxInsight({ text: `Queued ${i}` }));
    const first = await batch(ari, items);
    expect(first.every((r) => r.status === 'created')).toBe(true);
    const rowsBefore = await countInsights();
    const again = await batch(ari, items);
    expect(again.map((r) => r.status)).toEqual(Array(30).fill('duplicate'));
    expect(again.map((r) => r.insight)).toEqual(first.map((r) => r.insight));
    expect(await countInsights()).toBe(rowsBefore);
    expect(await createdEvents(items.map((i) => i.id))).toHaveLength(30);
    await expectChainValid();
  });

  it('lets an item with a NUL character (which PostgreSQL would refuse) fail alone, naming the field', async () => {
    const items = [
      outboxInsight({ text: 'Before the bad one' }),
      outboxInsight({ text: 'Also fine' }),
      outboxInsight({ text: 'Broken \u0000 text' }),
      outboxInsight({ text: 'After the bad one' }),
    ];
    const rowsBefore = await countInsights();
    const results = await batch(ari, items);
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'rejected', 'created']);
    expect(results[2]).toMatchObject({
      id: items[2]?.id,
      index: 2,
      problem: { title: 'Invalid request', errors: [{ field: 'items[2].text' }] },
    });
    expect(await countInsights()).toBe(rowsBefore + 3);
    const good = [items[0], items[1], items[3]].map((i) => i?.id as string);
    expect((await rowsOf(good)).map((r) => r.text).sort()).toEqual([
      'After the bad one',
      'Also fine',
      'Before the bad one',
    ]);
    expect(await rowsOf([items[2]?.id as string])).toEqual([]);
    const audits = await createdEvents(items.map((i) => i.id));
    expect(audits.map((e) => e.targetId)).toEqual(good);
    for (const i of [0, 1, 3]) expect(results[i]?.insight).toEqual(await read(ari, items[i]?.id as string));
    await expectChainValid();
  });

  it('lets an item that violates a constraint mid-way fail alone; its id can still be created by a later item', async () => {
    await db().execute(
      sql`alter table insights add constraint insights_sync_test_ck check (text <> 'poison pill') not valid`,
    );
    try {
      const poisoned = outboxInsight({ text: 'poison pill' });
      const items = [
        outboxInsight({ text: 'First' }),
        poisoned,
        outboxInsight({ text: 'Third' }),
        { ...poisoned, text: 'Fixed wording' },
        outboxInsight({ text: 'Fifth' }),
      ];
      const rowsBefore = await countInsights();
      const results = await batch(ari, items);
      expect(results.map((r) => [r.index, r.id, r.status])).toEqual([
        [0, items[0]?.id, 'created'],
        [1, poisoned.id, 'rejected'],
        [2, items[2]?.id, 'created'],
        [3, poisoned.id, 'created'],
        [4, items[4]?.id, 'created'],
      ]);
      expect(results[1]?.problem?.errors?.map((e) => e.field)).toEqual(['items[1]']);
      expect(results[3]?.insight).toMatchObject({ id: poisoned.id, text: 'Fixed wording' });
      expect(await countInsights()).toBe(rowsBefore + 4);
      const audits = await createdEvents(items.map((i) => i.id));
      expect(audits.map((e) => e.targetId)).toEqual([items[0]?.id, items[2]?.id, poisoned.id, items[4]?.id]);
      await expectChainValid();
    } finally {
      await db().execute(sql`alter table insights drop constraint insights_sync_test_ck`);
    }
  });

  it('keeps the chain valid and each id once under concurrent batches and single captures', async () => {
    const shared = Array.from({ length: 20 }, (_, i) => outboxInsight({ text: `Shared ${i}` }));
    const reversed = [...shared].reverse();
    const singles = Array.from({ length: 5 }, (_, i) => outboxInsight({ text: `Single ${i}` }));
    const rowsBefore = await countInsights();
    const [[a, b], singleAnswers] = await Promise.all([
      Promise.all([
        batch(ari, shared),
        batch(ari, reversed),
        batch(ben, [outboxInsight({ text: 'Ben at the same time' })]),
      ]),
      Promise.all(singles.map((item) => ari.post('/api/v1/insights', item))),
    ]);
    expect(singleAnswers.map((r) => r.status)).toEqual(Array(5).fill(201));
    const statusOf = new Map<string, string[]>();
    for (const r of [...a, ...b]) statusOf.set(r.id ?? '', [...(statusOf.get(r.id ?? '') ?? []), r.status]);
    for (const item of shared) expect(statusOf.get(item.id)?.sort()).toEqual(['created', 'duplicate']);
    expect(await countInsights()).toBe(rowsBefore + 20 + 5 + 1);
    const audits = await createdEvents([...shared, ...singles].map((i) => i.id));
    expect(audits).toHaveLength(25);
    await expectChainValid();
  });
});

describe('single capture answered from the inserted row', () => {
  it('answers 201 with exactly what a read returns, then 200 with the stored record on a retry', async () => {
    const body = outboxInsight({
      eventId,
      sessionId,
      title: 'Single with everything',
      followUp: true,
      tags: ['a', 'b'],
      developer: { role: 'data', company: 'Acme' },
    });
    const created = await ari.post('/api/v1/insights', body);
    expect(created.status).toBe(201);
    const insight = (await created.json()) as Insight;
    expect(insight).toEqual(await read(ari, body.id));
    expect(insight).toMatchObject({
      event: { name: 'Batch Conf' },
      session: { title: 'Opening' },
      mergedCount: 0,
      version: 1,
    });
    const retry = await ari.post('/api/v1/insights', { ...body, text: 'Different words' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(insight);
    const [audit, ...more] = await createdEvents([body.id]);
    expect(more).toEqual([]);
    expect(audit).toMatchObject({ action: 'insight.created', targetId: body.id });
    const [row] = await db().select().from(insights).where(eq(insights.id, body.id));
    expect(row?.text).toBe(body.text);
  });
});
