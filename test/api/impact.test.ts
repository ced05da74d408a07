import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight } from '../../src/contract/api/insights.ts';
import type { Impact, ImpactItem } from '../../src/contract/api/social.ts';
import { INSIGHT_TYPES } from '../../src/contract/taxonomy.ts';
import type { Db } from '../../src/server/db/client.ts';
import * as schema from '../../src/server/db/schema.ts';
import { insightAttachments } from '../../src/server/db/schema.ts';
import { type Actor, systemContext } from '../../src/server/modules/identity/actor.ts';
import { myImpact } from '../../src/server/modules/social/impact.service.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

const DAY = 86_400_000;
const MIN = 60_000;
/** Mid-day UTC; the clock starts a little earlier so notes can be written at distinct times before NOW. */
const NOW = new Date('2026-11-21T12:00:00.000Z');
const TODAY = Date.UTC(2026, 10, 21);
let clock = new Date(NOW.getTime() - 10 * MIN);

let stack: TestStack;
let ari: Session;
let ben: Session;
let fatima: Session;
let maya: Session;
let victor: Session;
/** Ari's insights, by name; see the table in beforeAll. */
const a: Record<string, Insight> = {};
let bens: Insight;

async function capture(who: Session, capturedAt: number, fields: Record<string, unknown> = {}) {
  const response = await who.post('/api/v1/insights', {
    id: randomUUID(),
    text: `captured at ${new Date(capturedAt).toISOString()}`,
    type: 'feature_request',
    productAreas: [],
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date(capturedAt).toISOString(),
    ...fields,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Insight;
}
async function ok(response: Promise<Response>, status = 200) {
  const r = await response;
  expect(r.status, await r.clone().text()).toBe(status);
}
const react = (who: Session, insight: Insight, reaction: string) =>
  ok(who.send('PUT', `/api/v1/insights/${insight.id}/reactions/${reaction}`, {}));
async function note(who: Session, insight: Insight, body: string, parentId?: string) {
  clock = new Date(clock.getTime() + MIN);
  const response = await who.post(`/api/v1/insights/${insight.id}/notes`, {
    id: randomUUID(),
    body,
    parentId,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: string };
}
async function attach(insight: Insight, n: number) {
  for (let i = 0; i < n; i += 1) {
    await stack.db.database.db.insert(insightAttachments).values({
      id: randomUUID(),
      insightId: insight.id,
      uploadedBy: insight.author.id,
      kind: 'photo',
      contentType: 'image/jpeg',
      byteSize: 3,
      sha256: 'f'.repeat(64),
      data: Buffer.from([1, 2, 3]),
    });
  }
}

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
  [ari, ben, fatima, maya, victor] = (await Promise.all(
    ['Ari', 'Ben', 'Fatima', 'Maya', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session, Session];
  // Ari's insights, newest first. Boundaries are exact: "last 7 days" starts at 00:00 UTC six days ago.
  a.today1 = await capture(ari, NOW.getTime() - 60 * MIN, { type: 'pain_point', followUp: true });
  a.today2 = await capture(ari, TODAY + 30 * MIN, { type: 'praise' });
  a.yesterday = await capture(ari, TODAY - 60 * MIN, { type: 'pain_point' });
  a.day6 = await capture(ari, TODAY - 6 * DAY, { type: 'question', followUp: true });
  a.day7 = await capture(ari, TODAY - 6 * DAY - 1, { type: 'bug_report' });
  a.day29 = await capture(ari, TODAY - 29 * DAY, { type: 'feature_request' });
  a.day30 = await capture(ari, TODAY - 29 * DAY - 1, { type: 'pain_point', followUp: true });
  a.old = await capture(ari, TODAY - 100 * DAY, { type: 'question' });
  // Other people's insights, some today, with reactions and notes: never in Ari's numbers.
  bens = await capture(ben, NOW.getTime() - 30 * MIN, { type: 'pain_point', followUp: true });
  await capture(fatima, NOW.getTime() - 30 * MIN, { type: 'praise' });

  await react(ben, a.today1, 'like');
  await react(ben, a.today1, 'love');
  await react(maya, a.today1, 'like');
  await react(ari, a.today1, 'like'); // mine, on my own insight: shown, not "received"
  await react(maya, a.yesterday, 'fire');
  await react(ari, bens, 'celebrate');
  await react(maya, bens, 'celebrate');

  const question = await note(ben, a.today1, 'Which region was this?');
  await note(ari, a.today1, 'us-east-1', question.id); // my own reply: not "received"
  await note(maya, a.today1, 'Thanks, filing it', question.id);
  await note(maya, a.old, 'Still relevant?');
  await note(ari, bens, 'Saw the same at my booth');
  await attach(a.today1, 2);
  await attach(a.day6, 1);
  clock = NOW;
});
afterAll(async () => {
  await stack?.close();
});

const impact = (who: Session, query = '') => who.json<Impact>(`/api/v1/me/impact${query}`);
const typeCount = (i: Impact, key: string) => i.stats.byType.find((r) => r.key === key)?.count;

describe('my impact', () => {
  it('counts exactly my own insights, by UTC day of the injected clock, with what others gave', async () => {
    const mine = await impact(ari);
    expect(mine.generatedAt).toBe(NOW.toISOString());
    const { byType, ...numbers } = mine.stats;
    expect(numbers).toEqual({
      total: 8,
      today: 2,
      last7Days: 4,
      last30Days: 6,
      reactionsReceived: 4,
      notesReceived: 3,
      followUps: 3,
    });
    expect(byType.map((r) => r.key)).toEqual(INSIGHT_TYPES.map((t) => t.id));
    expect(byType.find((r) => r.key === 'pain_point')).toEqual({
      key: 'pain_point',
      label: 'Pain Point',
      count: 2,
    });
    expect(typeCount(mine, 'praise')).toBe(1);
    expect(typeCount(mine, 'question')).toBe(1);
    expect(typeCount(mine, 'bug_report')).toBe(1);
    expect(typeCount(mine, 'feature_request')).toBe(1);
    expect(byType.reduce((sum, r) => sum + r.count, 0)).toBe(6);
  });

  it('lists my newest insights first with reactions (mine marked), notes and attachments', async () => {
    const { recent } = await impact(ari);
    expect(recent.map((item) => item.insight.id)).toEqual(
      ['today1', 'today2', 'yesterday', 'day6', 'day7', 'day29', 'day30', 'old'].map((k) => a[k]?.id),
    );
    const first = recent[0] as ImpactItem;
    expect(first.insight).toEqual(a.today1);
    expect(first.reactions).toEqual([
      { reaction: 'like', count: 3, mine: true },
      { reaction: 'love', count: 1, mine: false },
      { reaction: 'insightful', count: 0, mine: false },
      { reaction: 'celebrate', count: 0, mine: false },
      { reaction: 'fire', count: 0, mine: false },
    ]);
    expect(first.noteCount).toBe(3);
    expect(first.latestNote).toMatchObject({
      body: 'Thanks, filing it',
      author: { name: 'Maya Patel' },
      insightId: a.today1?.id,
    });
    expect(first.attachmentCount).toBe(2);

    const byId = new Map(recent.map((item) => [item.insight.id, item]));
    const summary = (k: string) => {
      const item = byId.get(a[k]?.id ?? '');
      return [item?.noteCount, item?.latestNote?.body ?? null, item?.attachmentCount];
    };
    expect(summary('today2')).toEqual([0, null, 0]);
    expect(summary('day6')).toEqual([0, null, 1]);
    expect(summary('old')).toEqual([1, 'Still relevant?', 0]);
    expect(byId.get(a.yesterday?.id ?? '')?.reactions.find((r) => r.reaction === 'fire')).toEqual({
      reaction: 'fire',
      count: 1,
      mine: false,
    });
  });

  it('honours the limit and bounds it', async () => {
    const three = await impact(ari, '?limit=3');
    expect(three.recent.map((item) => item.insight.id)).toEqual([
      a.today1?.id,
      a.today2?.id,
      a.yesterday?.id,
    ]);
    expect(three.stats.total).toBe(8); // the numbers do not depend on the page
    for (const bad of ['0', '51', 'ten']) {
      const response = await ari.get(`/api/v1/me/impact?limit=${bad}`);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { errors?: { field: string }[] };
      expect(problem.errors?.map((e) => e.field)).toEqual(['query.limit']);
    }
  });

  it('is each person’s own: others see their numbers, a viewer sees zeros', async () => {
    const bensImpact = await impact(ben);
    expect(bensImpact.stats).toMatchObject({
      total: 1,
      today: 1,
      reactionsReceived: 2,
      notesReceived: 1,
      followUps: 1,
    });
    expect(bensImpact.recent.map((item) => item.insight.id)).toEqual([bens.id]);
    expect(bensImpact.recent[0]?.reactions.find((r) => r.reaction === 'celebrate')).toEqual({
      reaction: 'celebrate',
      count: 2,
      mine: false,
    });

    const viewers = await impact(victor);
    const { byType, ...numbers } = viewers.stats;
    expect(Object.values(numbers)).toEqual(Array(7).fill(0));
    expect(byType.every((r) => r.count === 0)).toBe(true);
    expect(viewers.recent).toEqual([]);
  });

  it('reads a fixed number of queries whatever the page size (no query per item)', async () => {
    const queries: string[] = [];
    const logger = { logQuery: (query: string) => void queries.push(query) };
    const { database } = stack.db;
    const client = (database.db as unknown as { $client: unknown }).$client;
    // The same connection, with a drizzle instance that logs every statement it sends.
    const counting = (database.kind === 'pglite'
      ? drizzlePglite({ client: client as PGlite, schema, logger })
      : drizzlePg({ client: client as pg.Pool, schema, logger })) as unknown as Db;
    const actor: Actor = {
      personId: a.today1?.author.id ?? '',
      name: 'Ari Levy',
      email: 'ari.levy@example.com',
      team: 'amer',
      role: 'advocate',
      scope: { kind: 'limited', teams: ['amer'], trees: [], units: [] },
      sessionId: null,
      amr: [],
      via: 'session',
      mfaAt: null,
      tokenId: null,
      tokenScopes: null,
    };
    const run = async (limit: number) => {
      queries.length = 0;
      const result = await myImpact(
        { db: counting, now: () => NOW },
        { ...systemContext('test'), actor },
        limit,
      );
      return { items: result.recent.length, queries: queries.length };
    };
    const one = await run(1);
    const all = await run(50);
    expect([one.items, all.items]).toEqual([1, 8]);
    expect(all.queries).toBe(one.queries);
    // Nine reads (the page's merged-duplicate counts are one of them), plus begin and commit where the driver
    // sends them as statements (PostgreSQL).
    expect(all.queries).toBeGreaterThanOrEqual(9);
    expect(all.queries).toBeLessThanOrEqual(11);
  });

  it('needs a signed-in caller', async () => {
    expect((await fetch(`${stack.baseUrl}/api/v1/me/impact`)).status).toBe(401);
  });
});
