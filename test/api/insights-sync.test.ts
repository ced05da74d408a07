import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight, InsightBatchResult } from '../../src/contract/api/insights.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { auditEvents, eventSessions, events, insights } from '../../src/server/db/schema.ts';
import { outboxInsight } from '../helpers/insights.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let ari: Session; // advocate, AMER
let ben: Session; // advocate, AMER
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let victor: Session; // viewer
let eventId: string;
let sessionId: string;

beforeAll(async () => {
  stack = await startStack();
  [ari, ben, fatima, maya, victor] = (await Promise.all(
    ['Ari', 'Ben', 'Fatima', 'Maya', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session, Session];
  const [event] = await db()
    .insert(events)
    .values({ name: 'Sync Conf', eventType: 'hackathon', startsOn: '2026-11-20', endsOn: '2026-11-21' })
    .returning();
  eventId = event?.id ?? '';
  const [s] = await db().insert(eventSessions).values({ eventId, title: 'Keynote' }).returning();
  sessionId = s?.id ?? '';
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;
const countInsights = async () => Number((await db().select({ n: count() }).from(insights))[0]?.n);
const auditOf = (targetId: string) =>
  db().select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.seq);
const countAudit = async (action: string) =>
  Number((await db().select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, action)))[0]?.n);

const newInsight = outboxInsight;

async function capture(who: Session, overrides: Record<string, unknown> = {}) {
  const response = await who.post('/api/v1/insights', newInsight(overrides));
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Insight;
}

async function batch(who: Session, items: unknown[]) {
  const response = await who.post('/api/v1/insights/batch', { items });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as InsightBatchResult).results;
}

const patch = (who: Session, id: string, body: unknown) => who.send('PATCH', `/api/v1/insights/${id}`, body);

describe('batch sync of offline captures', () => {
  it('answers one result per item, in order, and saves exactly the good ones', async () => {
    const already = await capture(ari);
    const bens = await capture(ben, { text: 'Ben private wording' });
    const fresh = newInsight({ eventId, sessionId });
    const future = newInsight({ capturedAt: new Date(Date.now() + 3_600_000).toISOString() });
    const missingType = { ...newInsight(), type: undefined };
    const unknownEvent = newInsight({ eventId: randomUUID() });
    const [rowsBefore, createdBefore] = [await countInsights(), await countAudit('insight.created')];

    const results = await batch(ari, [
      fresh,
      { ...newInsight(), id: already.id },
      future,
      { ...newInsight(), id: bens.id },
      missingType,
      'not an object',
      unknownEvent,
      newInsight({ authorId: randomUUID() }),
    ]);

    expect(results.map((r) => [r.index, r.id, r.status])).toEqual([
      [0, fresh.id, 'created'],
      [1, already.id, 'duplicate'],
      [2, future.id, 'rejected'],
      [3, bens.id, 'conflict'],
      [4, missingType.id, 'rejected'],
      [5, null, 'rejected'],
      [6, unknownEvent.id, 'rejected'],
      [7, expect.any(String), 'rejected'],
    ]);
    expect(results[0]?.insight).toMatchObject({
      id: fresh.id,
      author: { name: 'Ari Levy' },
      event: { id: eventId },
      session: { id: sessionId },
      version: 1,
    });
    expect(results[1]?.insight).toMatchObject({ id: already.id, text: already.text });
    expect(results[2]?.problem?.errors).toEqual([
      { field: 'items[2].capturedAt', message: expect.any(String) },
    ]);
    expect(results[4]?.problem?.errors?.map((e) => e.field)).toEqual(['items[4].type']);
    expect(results[5]?.problem?.errors?.map((e) => e.field)).toEqual(['items[5]']);
    expect(results[6]?.problem?.errors?.map((e) => e.field)).toEqual(['items[6].eventId']);
    expect(results[7]?.problem?.errors?.map((e) => e.field)).toEqual(['items[7].authorId']);
    // A conflict reveals nothing of the other person's insight.
    expect(results[3]?.insight).toBeUndefined();
    expect(JSON.stringify(results[3])).not.toContain('Ben private wording');
    expect(results[3]?.problem?.title).toBe('Conflict');

    expect(await countInsights()).toBe(rowsBefore + 1);
    expect(await countAudit('insight.created')).toBe(createdBefore + 1);
    const [audit] = await auditOf(fresh.id);
    expect(audit).toMatchObject({ action: 'insight.created', outcome: 'success' });
    const [bensRow] = await db().select().from(insights).where(eq(insights.id, bens.id));
    expect(bensRow?.text).toBe('Ben private wording');
    for (const item of [future, missingType, unknownEvent]) {
      expect(await db().select().from(insights).where(eq(insights.id, item.id))).toEqual([]);
    }
  });

  it('is exactly once: the same batch sent three times at once leaves one record and one audit per id', async () => {
    const items = Array.from({ length: 5 }, (_, i) => newInsight({ text: `Concurrent ${i}` }));
    const [rowsBefore, createdBefore] = [await countInsights(), await countAudit('insight.created')];
    const runs = await Promise.all([1, 2, 3].map(() => batch(ari, items)));
    for (const [index, item] of items.entries()) {
      const statuses = runs.map((results) => results[index]?.status).sort();
      expect(statuses).toEqual(['created', 'duplicate', 'duplicate']);
      expect(runs.map((results) => results[index]?.insight?.id)).toEqual([item.id, item.id, item.id]);
      const created = (await auditOf(item.id)).filter((e) => e.action === 'insight.created');
      expect(created).toHaveLength(1);
    }
    expect(await countInsights()).toBe(rowsBefore + 5);
    expect(await countAudit('insight.created')).toBe(createdBefore + 5);
    // Resent later (after a dropped connection): all duplicates, nothing new.
    expect((await batch(ari, items)).map((r) => r.status)).toEqual(Array(5).fill('duplicate'));
    expect(await countInsights()).toBe(rowsBefore + 5);
  });

  it('bounds the batch: more than 100 items or none is a 400 naming body.items, and nothing is written', async () => {
    const before = await countInsights();
    for (const items of [Array.from({ length: 101 }, () => newInsight()), []]) {
      const response = await ari.post('/api/v1/insights/batch', { items });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toContain('body.items');
    }
    expect((await ari.post('/api/v1/insights/batch', { items: [newInsight()], extra: 1 })).status).toBe(400);
    expect(await countInsights()).toBe(before);
  });

  it('refuses a viewer for the whole request (403), writing nothing', async () => {
    const before = await countInsights();
    const response = await victor.post('/api/v1/insights/batch', { items: [newInsight()] });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await countInsights()).toBe(before);
  });

  it('accepts an API token with insights:write and refuses one with only insights:read', async () => {
    const token = async (scopes: string[]) => {
      const response = await ari.post('/api/v1/tokens', { name: `sync ${scopes}`, scopes, expiresInDays: 7 });
      expect(response.status).toBe(201);
      return ((await response.json()) as ApiTokenIssued).token;
    };
    const call = (t: string, items: unknown[]) =>
      fetch(`${stack.baseUrl}/api/v1/insights/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
      });
    const item = newInsight();
    const ok = await call(await token(['insights:write']), [item]);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as InsightBatchResult).results[0]?.status).toBe('created');
    const refused = await call(await token(['insights:read']), [newInsight()]);
    expect(refused.status).toBe(403);
  });
});

describe('editing an insight', () => {
  it('lets the author edit: version 1 → 2, audited with the changed fields', async () => {
    const insight = await capture(ari, { tags: ['a'] });
    const response = await patch(ari, insight.id, {
      version: 1,
      text: 'Edited on the phone',
      tags: ['a', 'b'],
      priority: 'medium', // unchanged value: not listed as changed
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const updated = (await response.json()) as Insight;
    expect(updated).toMatchObject({
      id: insight.id,
      version: 2,
      text: 'Edited on the phone',
      tags: ['a', 'b'],
    });
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(insight.updatedAt).getTime(),
    );
    const audits = await auditOf(insight.id);
    expect(audits.map((a) => a.action)).toEqual(['insight.created', 'insight.updated']);
    expect(audits[1]?.details).toEqual({ fromVersion: 1, toVersion: 2, changed: ['text', 'tags'] });
    expect(audits[1]?.actorId).toBe(insight.author.id);
    expect((await ari.json<Insight>(`/api/v1/insights/${insight.id}`)).version).toBe(2);
  });

  it('answers a stale version with 409 carrying the current record', async () => {
    const insight = await capture(ari);
    expect((await patch(ari, insight.id, { version: 1, text: 'First edit' })).status).toBe(200);
    const stale = await patch(ari, insight.id, { version: 1, text: 'Edit from an old copy' });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await stale.json()) as { title: string; current: Insight };
    expect(problem.title).toBe('Conflict');
    expect(problem.current).toMatchObject({ id: insight.id, version: 2, text: 'First edit' });
    const [row] = await db().select().from(insights).where(eq(insights.id, insight.id));
    expect(row).toMatchObject({ version: 2, text: 'First edit' });
  });

  it('lets exactly one of two concurrent edits from the same version win', async () => {
    const insight = await capture(ari);
    const responses = await Promise.all([
      patch(ari, insight.id, { version: 1, text: 'Edit A' }),
      patch(maya, insight.id, { version: 1, text: 'Edit B' }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const [row] = await db().select().from(insights).where(eq(insights.id, insight.id));
    expect(row?.version).toBe(2);
    const winner = responses.find((r) => r.status === 200);
    if (!winner) throw new Error('no edit won');
    expect(row?.text).toBe(((await winner.json()) as Insight).text);
    const updates = (await auditOf(insight.id)).filter((a) => a.action === 'insight.updated');
    expect(updates).toHaveLength(1);
  });

  it('scopes edits: another team 404, a manager in scope may edit, a viewer never (403)', async () => {
    const insight = await capture(ari);
    const outside = await patch(fatima, insight.id, { version: 1, text: 'EMEA edit' });
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain(insight.text);
    expect((await patch(victor, insight.id, { version: 1, text: 'Viewer edit' })).status).toBe(403);
    expect((await patch(fatima, randomUUID(), { version: 1, text: 'x' })).status).toBe(404);

    const byManager = await patch(maya, insight.id, { version: 1, followUp: true, sentiment: 'positive' });
    expect(byManager.status).toBe(200);
    expect(await byManager.json()).toMatchObject({
      version: 2,
      followUp: true,
      author: { name: 'Ari Levy' },
    });
    const [, update] = await auditOf(insight.id);
    expect(update?.details).toEqual({ fromVersion: 1, toVersion: 2, changed: ['sentiment', 'followUp'] });
    expect(update?.actorId).not.toBe(insight.author.id);
  });

  it('rejects bad input with 400 naming the field, and writes nothing', async () => {
    const insight = await capture(ari);
    const cases: [unknown, string][] = [
      [{ version: 1 }, 'body'],
      [{ version: 1, sentiment: 'ecstatic' }, 'body.sentiment'],
      [{ version: 1, text: '' }, 'body.text'],
      [{ version: 1, text: 'x'.repeat(5001) }, 'body.text'],
      [{ version: 1, authorId: randomUUID(), text: 'x' }, 'body.authorId'],
      [{ text: 'no version' }, 'body.version'],
      [{ version: 'one', text: 'x' }, 'body.version'],
      [{ version: 1, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'body.tags'],
      [{ version: 1, eventId: randomUUID() }, 'body.eventId'],
      [{ version: 1, sessionId }, 'body.eventId'],
      [{ version: 1, eventId, sessionId: randomUUID() }, 'body.sessionId'],
    ];
    for (const [body, field] of cases) {
      const response = await patch(ari, insight.id, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect({ body, fields: problem.errors.map((e) => e.field) }).toEqual({
        body,
        fields: expect.arrayContaining([field]),
      });
    }
    const [row] = await db().select().from(insights).where(eq(insights.id, insight.id));
    expect(row?.version).toBe(1);
    expect(row?.text).toBe(insight.text);
    const updates = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, insight.id), eq(auditEvents.action, 'insight.updated')));
    expect(updates).toEqual([]);
    // A valid event/session move works and is recorded as such.
    const moved = await patch(ari, insight.id, { version: 1, eventId, sessionId });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({
      event: { id: eventId },
      session: { id: sessionId },
      version: 2,
    });
  });
});
