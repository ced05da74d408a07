import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight } from '../../src/contract/api/insights.ts';
import type { MentionablePeople } from '../../src/contract/api/review.ts';
import type { Impact, InsightActivity, MentionPage, Note } from '../../src/contract/api/social.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { auditEvents, insightNotes, people } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/** A clock the tests move forward, so notes written one after another have distinct, ordered times. */
let clock = new Date();
const tick = () => {
  clock = new Date(clock.getTime() + 1000);
};

let stack: TestStack;
let ari: Session; // advocate, AMER
let ben: Session; // advocate, AMER
let fatima: Session; // advocate, EMEA
let gustav: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let erik: Session; // manager, EMEA
let priya: Session; // admin
let victor: Session; // viewer
const id: Record<string, string> = {};
let bensInsight: Insight; // AMER: Fatima cannot see it
let gustavsInsight: Insight; // EMEA: Fatima can

const db = () => stack.db.database.db;

async function capture(who: Session, text: string): Promise<Insight> {
  const response = await who.post('/api/v1/insights', {
    id: randomUUID(),
    text,
    type: 'feature_request',
    productAreas: ['atlas'],
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date(clock.getTime() - 60_000).toISOString(),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Insight;
}

async function note(who: Session, insightId: string, body: string, mentions?: unknown[]) {
  tick();
  return who.post(`/api/v1/insights/${insightId}/notes`, {
    id: randomUUID(),
    body,
    ...(mentions ? { mentions } : {}),
  });
}

async function created(response: Response): Promise<Note> {
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Note;
}

async function problemFields(response: Response) {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as { errors?: { field: string }[] };
  return problem.errors?.map((e) => e.field) ?? [];
}

const noteRows = async () => Number((await db().select({ n: count() }).from(insightNotes))[0]?.n);
const noteAudits = async () =>
  Number(
    (
      await db().select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, 'insight.note_added'))
    )[0]?.n,
  );
const mentionsOf = (who: Session, query = '') => who.json<MentionPage>(`/api/v1/me/mentions${query}`);
const mentionable = (who: Session, q: string, limit?: number) =>
  who.json<MentionablePeople>(
    `/api/v1/people/mentionable?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`,
  );

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
  const names = ['Ari', 'Ben', 'Fatima', 'Gustav', 'Maya', 'Erik', 'Priya', 'Victor', 'Lena'];
  const sessions = await Promise.all(names.map((who) => stack.signIn(who)));
  [ari, ben, fatima, gustav, maya, erik, priya, victor] = sessions as Session[] as [
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
    Session,
  ];
  for (const [i, who] of names.entries()) {
    const me = await (sessions[i] as Session).json<{ person: { id: string } }>('/api/v1/me');
    id[who] = me.person.id;
  }
  bensInsight = await capture(ben, 'Ben heard that driver timeouts hurt in serverless functions');
  gustavsInsight = await capture(gustav, 'Gustav: EMEA customers ask for data residency in Frankfurt');
});
afterAll(async () => {
  await stack?.close();
});

describe('mentions on notes', () => {
  it('stores the mentions, answers their names in mention order, and audits them', async () => {
    const note1 = await created(
      await note(maya, bensInsight.id, '@Ari @Ben can you follow up with the driver team?', [id.Ben, id.Ari]),
    );
    expect(note1.mentions).toEqual([
      { id: id.Ben, name: 'Ben Carter' },
      { id: id.Ari, name: 'Ari Levy' },
    ]);
    const [row] = await db().select().from(insightNotes).where(eq(insightNotes.id, note1.id));
    expect(row?.mentions).toEqual([id.Ben, id.Ari]);
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'insight.note_added'), eq(auditEvents.targetId, bensInsight.id)));
    expect(event?.details).toEqual({ noteId: note1.id, parentId: null, mentions: [id.Ben, id.Ari] });

    // The activity and the author's Impact tab show the same names.
    const activity = await ari.json<InsightActivity>(`/api/v1/insights/${bensInsight.id}/activity`);
    expect(activity.notes).toEqual([note1]);
    const impact = await ben.json<Impact>('/api/v1/me/impact');
    expect(impact.recent.find((r) => r.insight.id === bensInsight.id)?.latestNote).toEqual(note1);

    // No mentions: an empty list.
    const plain = await created(await note(ari, bensInsight.id, 'On it.'));
    expect(plain.mentions).toEqual([]);
  });

  it('refuses unknown or deactivated people with a 400 naming body.mentions[i], writing nothing', async () => {
    await db()
      .update(people)
      .set({ status: 'deactivated' })
      .where(eq(people.id, id.Lena as string));
    const [notes, audits] = [await noteRows(), await noteAudits()];
    const unknown = await note(maya, bensInsight.id, 'Hi', [id.Ari, randomUUID()]);
    expect(await problemFields(unknown)).toEqual(['body.mentions[1]']);
    const deactivated = await note(maya, bensInsight.id, 'Hi', [id.Lena, id.Ben, randomUUID()]);
    expect(await problemFields(deactivated)).toEqual(['body.mentions[0]', 'body.mentions[2]']);
    // Shape errors come from the schema.
    expect(await problemFields(await note(maya, bensInsight.id, 'Hi', ['not-a-uuid']))).toEqual([
      'body.mentions.0',
    ]);
    expect(await problemFields(await note(maya, bensInsight.id, 'Hi', [id.Ari, id.Ari]))).toEqual([
      'body.mentions',
    ]);
    const tooMany = Array.from({ length: LIMITS.mentionsPerNote + 1 }, () => randomUUID());
    expect(await problemFields(await note(maya, bensInsight.id, 'Hi', tooMany))).toEqual(['body.mentions']);
    expect([await noteRows(), await noteAudits()]).toEqual([notes, audits]);
    await db()
      .update(people)
      .set({ status: 'provisional' })
      .where(eq(people.id, id.Lena as string));
  });

  it('accepts a mention of someone who cannot see the insight (they just never see the mention)', async () => {
    await created(await note(maya, bensInsight.id, '@Fatima is this the same in EMEA?', [id.Fatima]));
    await created(await note(erik, gustavsInsight.id, '@Fatima please pair with Gustav', [id.Fatima]));
    await created(await note(priya, bensInsight.id, '@Fatima FYI', [id.Fatima]));
  });
});

describe('GET /api/v1/me/mentions', () => {
  it('lists only mentions on insights in my scope, newest first', async () => {
    const page = await mentionsOf(fatima);
    expect(page.nextCursor).toBeNull();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      note: {
        insightId: gustavsInsight.id,
        author: { id: id.Erik, name: 'Erik Lindqvist' },
        body: '@Fatima please pair with Gustav',
        mentions: [{ id: id.Fatima, name: 'Fatima Zahra' }],
      },
      insight: { id: gustavsInsight.id, title: null, excerpt: gustavsInsight.text },
    });
    // Mentions are per person: nobody mentioned Priya, who reads everything.
    expect((await mentionsOf(priya)).items).toEqual([]);
  });

  it('paginates with a keyset cursor and never repeats or skips', async () => {
    const long = await capture(ari, 'x'.repeat(300));
    const ids: string[] = [];
    for (const i of [1, 2, 3]) {
      ids.push((await created(await note(maya, long.id, `@Ben number ${i}`, [id.Ben]))).id);
    }
    const first = await mentionsOf(ben, '?limit=2');
    expect(first.items.map((m) => m.note.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]?.insight.excerpt).toBe(`${'x'.repeat(159)}…`);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await mentionsOf(ben, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((m) => m.note.id)).toEqual([ids[0], expect.any(String)]);
    expect(second.items[1]?.note.body).toBe('@Ari @Ben can you follow up with the driver team?');
    expect(second.nextCursor).toBeNull();

    expect(await problemFields(await ben.get('/api/v1/me/mentions?cursor=nonsense'))).toEqual([
      'query.cursor',
    ]);
    expect(await problemFields(await ben.get('/api/v1/me/mentions?limit=0'))).toEqual(['query.limit']);
    expect(await problemFields(await ben.get('/api/v1/me/mentions?extra=1'))).toEqual(['query.extra']);
  });

  it('drops a mention from the list when the insight leaves my scope (scope is in the query)', async () => {
    // Ben's AMER insight: Ari sees the mention while Ben's team is AMER...
    expect((await mentionsOf(ari)).items.map((m) => m.insight.id)).toContain(bensInsight.id);
    // ...and not once Ben has moved out of every scope Ari reads (his team changes).
    await db()
      .update(people)
      .set({ team: 'apac' })
      .where(eq(people.id, id.Ben as string));
    expect((await mentionsOf(ari)).items.map((m) => m.insight.id)).not.toContain(bensInsight.id);
    await db()
      .update(people)
      .set({ team: 'amer' })
      .where(eq(people.id, id.Ben as string));
  });
});

describe('GET /api/v1/people/mentionable', () => {
  it('finds active people by name or e-mail local part, prefix matches first, advocate and up only', async () => {
    // "ra": Priya Raman (a word starts with it) before Fatima Zahra (contains it), though F < P.
    expect((await mentionable(ari, 'RA')).items).toEqual([
      { id: id.Priya, name: 'Priya Raman', team: null },
      { id: id.Fatima, name: 'Fatima Zahra', team: 'emea' },
    ]);
    // "en": Ben Carter only; Victor Chen and Lena Brooks are viewers.
    expect((await mentionable(ari, 'en')).items.map((p) => p.name)).toEqual(['Ben Carter']);
    // The e-mail local part: someone whose display name does not contain it.
    await db()
      .update(people)
      .set({ displayName: 'Gus B.' })
      .where(eq(people.id, id.Gustav as string));
    expect((await mentionable(ari, 'gustav.berg')).items.map((p) => p.name)).toEqual(['Gus B.']);
    await db()
      .update(people)
      .set({ displayName: 'Gustav Berg' })
      .where(eq(people.id, id.Gustav as string));
  });

  it('skips deactivated people, treats % and _ literally, and honours the limit', async () => {
    await db()
      .update(people)
      .set({ status: 'deactivated' })
      .where(eq(people.id, id.Fatima as string));
    expect((await mentionable(ari, 'ra')).items.map((p) => p.name)).toEqual(['Priya Raman']);
    await db()
      .update(people)
      .set({ status: 'provisional' })
      .where(eq(people.id, id.Fatima as string));
    expect((await mentionable(ari, '%')).items).toEqual([]);
    expect((await mentionable(ari, '_')).items).toEqual([]);
    // Prefix matches first (Ari), then the rest by name; Lena Brooks (a viewer) never.
    expect((await mentionable(ari, 'a', 3)).items.map((p) => p.name)).toEqual([
      'Ari Levy',
      'Ben Carter',
      'Fatima Zahra',
    ]);
  });

  it('validates the query and refuses viewers', async () => {
    expect(await problemFields(await ari.get('/api/v1/people/mentionable'))).toEqual(['query.q']);
    expect(await problemFields(await ari.get('/api/v1/people/mentionable?q=%20'))).toEqual(['query.q']);
    expect(await problemFields(await ari.get('/api/v1/people/mentionable?q=a&limit=21'))).toEqual([
      'query.limit',
    ]);
    expect((await victor.get('/api/v1/people/mentionable?q=a')).status).toBe(403);
  });
});
