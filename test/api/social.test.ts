import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight } from '../../src/contract/api/insights.ts';
import {
  type InsightActivity,
  type InsightReactions,
  type Note,
  REACTION_KINDS,
} from '../../src/contract/api/social.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { auditEvents, insightNotes, insightReactions, insights } from '../../src/server/db/schema.ts';
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
let maya: Session; // manager, AMER
let victor: Session; // viewer (reads everything)
let arisInsight: Insight;
let bensInsight: Insight;

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

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
  [ari, ben, fatima, maya, victor] = (await Promise.all(
    ['Ari', 'Ben', 'Fatima', 'Maya', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session, Session];
  arisInsight = await capture(ari, 'Ari wants vector search in the emulator');
  bensInsight = await capture(ben, 'Ben heard about driver timeouts');
});
afterAll(async () => {
  await stack?.close();
});

const reactionPath = (insightId: string, reaction: string) =>
  `/api/v1/insights/${insightId}/reactions/${reaction}`;
const put = (who: Session, insightId: string, reaction: string) =>
  who.send('PUT', reactionPath(insightId, reaction), {});
/** A DELETE the way browsers send it: no body at all. */
const remove = (who: Session, insightId: string, reaction: string) =>
  who.fetch(reactionPath(insightId, reaction), { method: 'DELETE', headers: { 'x-csrf-token': who.csrf } });
const activity = (who: Session, insightId: string) =>
  who.json<InsightActivity>(`/api/v1/insights/${insightId}/activity`);
const note = (who: Session, insightId: string, body: Record<string, unknown>) =>
  who.post(`/api/v1/insights/${insightId}/notes`, body);

async function reactionsOf(response: Response) {
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as InsightReactions).reactions;
}
const countOf = (reactions: { reaction: string; count: number; mine: boolean }[], kind: string) =>
  reactions.find((r) => r.reaction === kind);

async function auditCount(action: string, targetId: string) {
  const [row] = await db()
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));
  return Number(row?.n ?? 0);
}
const noteRows = async () => Number((await db().select({ n: count() }).from(insightNotes))[0]?.n);
async function problemFields(response: Response) {
  const problem = (await response.json()) as { errors?: { field: string }[] };
  return problem.errors?.map((e) => e.field) ?? [];
}

describe('reactions', () => {
  it('counts every kind, marks mine per person, and is idempotent with one audit event', async () => {
    const first = await reactionsOf(await put(ari, bensInsight.id, 'like'));
    expect(first.map((r) => r.reaction)).toEqual([...REACTION_KINDS]);
    expect(countOf(first, 'like')).toEqual({ reaction: 'like', count: 1, mine: true });
    const again = await reactionsOf(await put(ari, bensInsight.id, 'like'));
    expect(again).toEqual(first);
    expect(await auditCount('insight.reaction_added', bensInsight.id)).toBe(1);

    await reactionsOf(await put(maya, bensInsight.id, 'like'));
    const mayas = await reactionsOf(await put(maya, bensInsight.id, 'insightful'));
    expect(countOf(mayas, 'like')).toEqual({ reaction: 'like', count: 2, mine: true });
    expect(countOf(mayas, 'insightful')).toEqual({ reaction: 'insightful', count: 1, mine: true });

    const seenByAri = await activity(ari, bensInsight.id);
    expect(seenByAri.insightId).toBe(bensInsight.id);
    expect(seenByAri.reactions).toEqual([
      { reaction: 'like', count: 2, mine: true },
      { reaction: 'love', count: 0, mine: false },
      { reaction: 'insightful', count: 1, mine: false },
      { reaction: 'celebrate', count: 0, mine: false },
      { reaction: 'fire', count: 0, mine: false },
    ]);
    // The author sees the counts without any being theirs.
    expect((await activity(ben, bensInsight.id)).reactions.every((r) => !r.mine)).toBe(true);
    expect(await auditCount('insight.reaction_added', bensInsight.id)).toBe(3);
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'insight.reaction_added'), eq(auditEvents.targetId, bensInsight.id)))
      .orderBy(auditEvents.seq)
      .limit(1);
    expect(event).toMatchObject({ actorId: arisInsight.author.id, details: { reaction: 'like' } });
  });

  it('lets a person react to their own insight', async () => {
    const reactions = await reactionsOf(await put(ari, arisInsight.id, 'celebrate'));
    expect(countOf(reactions, 'celebrate')).toEqual({ reaction: 'celebrate', count: 1, mine: true });
  });

  it('takes a reaction back, idempotently, auditing only an actual removal', async () => {
    await reactionsOf(await put(ben, arisInsight.id, 'fire'));
    const removed = await reactionsOf(await remove(ben, arisInsight.id, 'fire'));
    expect(countOf(removed, 'fire')).toEqual({ reaction: 'fire', count: 0, mine: false });
    expect(countOf(removed, 'celebrate')).toEqual({ reaction: 'celebrate', count: 1, mine: false });
    expect(await reactionsOf(await remove(ben, arisInsight.id, 'fire'))).toEqual(removed);
    // Never there at all; also with an empty JSON body, as some clients send.
    await reactionsOf(await ben.send('DELETE', reactionPath(arisInsight.id, 'love'), {}));
    expect(await auditCount('insight.reaction_removed', arisInsight.id)).toBe(1);
    const rows = await db()
      .select()
      .from(insightReactions)
      .where(and(eq(insightReactions.insightId, arisInsight.id), eq(insightReactions.reaction, 'fire')));
    expect(rows).toEqual([]);
  });

  it('refuses viewers (403) and answers 404 outside the scope, writing nothing', async () => {
    expect((await put(victor, arisInsight.id, 'like')).status).toBe(403);
    expect((await remove(victor, arisInsight.id, 'celebrate')).status).toBe(403);
    // Viewers still read it.
    expect((await activity(victor, arisInsight.id)).reactions).toHaveLength(REACTION_KINDS.length);

    expect((await put(fatima, arisInsight.id, 'like')).status).toBe(404);
    expect((await remove(fatima, arisInsight.id, 'celebrate')).status).toBe(404);
    expect((await fatima.get(`/api/v1/insights/${arisInsight.id}/activity`)).status).toBe(404);
    expect((await put(ari, randomUUID(), 'like')).status).toBe(404);

    const [row] = await db()
      .select({ n: count() })
      .from(insightReactions)
      .where(eq(insightReactions.insightId, arisInsight.id));
    expect(Number(row?.n)).toBe(1); // Ari's own celebrate only
  });

  it('answers 400 for an unknown reaction or a malformed id', async () => {
    const unknown = await put(ari, arisInsight.id, 'thumbsdown');
    expect(unknown.status).toBe(400);
    expect(await problemFields(unknown)).toEqual(['path.reaction']);
    expect((await put(ari, 'not-a-uuid', 'like')).status).toBe(400);
    expect((await ari.send('PUT', reactionPath(arisInsight.id, 'like'), { extra: 1 })).status).toBe(400);
  });

  it('accepts a token with insights:write and refuses one with only insights:read', async () => {
    const token = async (scopes: string[]) => {
      const response = await ben.post('/api/v1/tokens', {
        name: `react ${scopes}`,
        scopes,
        expiresInDays: 7,
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as ApiTokenIssued).token;
    };
    const call = (t: string, method: string, path: string) =>
      fetch(`${stack.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${t}` } });
    const writer = await token(['insights:write']);
    expect((await call(writer, 'PUT', reactionPath(arisInsight.id, 'love'))).status).toBe(200);
    const reader = await token(['insights:read']);
    expect((await call(reader, 'PUT', reactionPath(arisInsight.id, 'fire'))).status).toBe(403);
    const read = await call(reader, 'GET', `/api/v1/insights/${arisInsight.id}/activity`);
    expect(read.status).toBe(200);
    expect(countOf(((await read.json()) as InsightActivity).reactions, 'love')).toEqual({
      reaction: 'love',
      count: 1,
      mine: true,
    });
    expect(await reactionsOf(await remove(ben, arisInsight.id, 'love'))).toBeDefined();
  });
});

describe('team notes', () => {
  let topNote: Note;

  it('stores a note once: 201, then 200 with the same note on a resend, one audit event', async () => {
    tick();
    const body = { id: randomUUID(), body: '  Great catch, can you ask which driver?  ' };
    const created = await note(maya, bensInsight.id, body);
    expect(created.status, await created.clone().text()).toBe(201);
    topNote = (await created.json()) as Note;
    expect(topNote).toMatchObject({
      id: body.id,
      insightId: bensInsight.id,
      parentId: null,
      author: { name: 'Maya Patel' },
      body: 'Great catch, can you ask which driver?',
      createdAt: clock.toISOString(),
    });
    tick();
    const resent = await note(maya, bensInsight.id, body);
    expect(resent.status).toBe(200);
    expect(await resent.json()).toEqual(topNote);
    const rows = await db().select().from(insightNotes).where(eq(insightNotes.id, body.id));
    expect(rows).toHaveLength(1);
    expect(await auditCount('insight.note_added', bensInsight.id)).toBe(1);
  });

  it('answers 409 when the id is someone else’s note or belongs to another insight', async () => {
    const byOther = await note(ben, bensInsight.id, { id: topNote.id, body: 'Mine now' });
    expect(byOther.status).toBe(409);
    expect(await byOther.text()).not.toContain('which driver');
    const elsewhere = await note(maya, arisInsight.id, { id: topNote.id, body: 'Moved' });
    expect(elsewhere.status).toBe(409);
    const [row] = await db().select().from(insightNotes).where(eq(insightNotes.id, topNote.id));
    expect(row).toMatchObject({ insightId: bensInsight.id, body: 'Great catch, can you ask which driver?' });
    expect(await auditCount('insight.note_added', arisInsight.id)).toBe(0);
  });

  it('threads one level: a reply to a top-level note, never to a reply or across insights', async () => {
    tick();
    const reply = await note(ben, bensInsight.id, {
      id: randomUUID(),
      body: 'Node driver 6.x',
      parentId: topNote.id,
    });
    expect(reply.status, await reply.clone().text()).toBe(201);
    const replyNote = (await reply.json()) as Note;
    expect(replyNote).toMatchObject({ parentId: topNote.id, author: { name: 'Ben Carter' } });

    const before = await noteRows();
    const refused = [
      { id: randomUUID(), body: 'Reply to a reply', parentId: replyNote.id },
      { id: randomUUID(), body: 'No such parent', parentId: randomUUID() },
    ];
    for (const body of refused) {
      const response = await note(ari, bensInsight.id, body);
      expect(response.status).toBe(400);
      expect(await problemFields(response)).toEqual(['body.parentId']);
    }
    // The parent must be a note of the same insight.
    tick();
    const onAris = await note(maya, arisInsight.id, { id: randomUUID(), body: 'On Ari’s insight' });
    expect(onAris.status).toBe(201);
    const { id: arisNoteId } = (await onAris.json()) as Note;
    const across = await note(ari, bensInsight.id, { id: randomUUID(), body: 'x', parentId: arisNoteId });
    expect(across.status).toBe(400);
    expect(await problemFields(across)).toEqual(['body.parentId']);
    // A note cannot answer itself.
    const selfId = randomUUID();
    const self = await note(ari, bensInsight.id, { id: selfId, body: 'me', parentId: selfId });
    expect(self.status).toBe(400);
    expect(await noteRows()).toBe(before + 1); // the note on Ari's insight only
  });

  it('validates the body: empty or longer than the limit is a 400 naming body.body', async () => {
    for (const body of ['', '   ', 'x'.repeat(LIMITS.noteBody + 1)]) {
      const response = await note(ari, bensInsight.id, { id: randomUUID(), body });
      expect(response.status).toBe(400);
      expect(await problemFields(response)).toEqual(['body.body']);
    }
    const atLimit = await note(ari, bensInsight.id, { id: randomUUID(), body: 'y'.repeat(LIMITS.noteBody) });
    expect(atLimit.status).toBe(201);
    expect((await note(ari, bensInsight.id, { body: 'no id' })).status).toBe(400);
  });

  it('refuses viewers (403) and answers 404 outside the scope', async () => {
    const before = await noteRows();
    expect((await note(victor, bensInsight.id, { id: randomUUID(), body: 'Viewer says hi' })).status).toBe(
      403,
    );
    expect((await note(fatima, bensInsight.id, { id: randomUUID(), body: 'From EMEA' })).status).toBe(404);
    expect((await note(ari, randomUUID(), { id: randomUUID(), body: 'Nowhere' })).status).toBe(404);
    expect(await noteRows()).toBe(before);
  });

  it('lists the notes oldest first with author names, replies naming their parent', async () => {
    const seen = await activity(victor, bensInsight.id);
    expect(seen.notes.map((n) => [n.author.name, n.body.slice(0, 20), n.parentId])).toEqual([
      ['Maya Patel', 'Great catch, can you', null],
      ['Ben Carter', 'Node driver 6.x', topNote.id],
      ['Ari Levy', 'y'.repeat(20), null],
    ]);
    expect(seen.notes[0]).toEqual(topNote);
    expect((await activity(ari, arisInsight.id)).notes.map((n) => n.body)).toEqual(['On Ari’s insight']);
  });
});

describe('activity across merged duplicates', () => {
  let primary: Insight; // Ari's
  let duplicate: Insight; // Ben's, merged into Ari's
  let foreign: Insight; // Fatima's (EMEA), merged into Ari's: outside Maya's scope
  let notes: Record<string, Note>;
  let priya: Session; // admin: reads everything

  const mergeInto = (target: string | null, ...ids: string[]) =>
    Promise.all(
      ids.map((id) => db().update(insights).set({ mergedIntoId: target }).where(eq(insights.id, id))),
    );
  const reactionsSeen = async (who: Session, insightId: string) =>
    Object.fromEntries(
      (await activity(who, insightId)).reactions.map((r) => [r.reaction, [r.count, r.mine]]),
    );

  beforeAll(async () => {
    priya = await stack.signIn('Priya');
    primary = await capture(ari, 'Wants vector search in the local emulator');
    duplicate = await capture(ben, 'Asked for vector search in the emulator too');
    foreign = await capture(fatima, 'EMEA also wants vector search locally');
    // Maya likes both records (counts once), Ben likes only his, Ari fires on Ben's.
    for (const [who, id, kind] of [
      [maya, primary.id, 'like'],
      [maya, duplicate.id, 'like'],
      [ben, duplicate.id, 'like'],
      [ari, duplicate.id, 'fire'],
      [fatima, foreign.id, 'love'],
    ] as const)
      await reactionsOf(await put(who, id, kind));
    notes = {};
    for (const [key, who, id, body] of [
      ['onPrimary', maya, primary.id, 'Is the emulator the Atlas CLI one?'],
      ['onDuplicate', ben, duplicate.id, 'Same customer as last week'],
      ['onForeign', fatima, foreign.id, 'Heard in Berlin'],
    ] as const) {
      tick();
      const response = await note(who, id, { id: randomUUID(), body });
      expect(response.status).toBe(201);
      notes[key] = (await response.json()) as Note;
    }
  });

  it('counts reactions over the primary and its duplicates, each person once per kind, mine accordingly', async () => {
    expect(await reactionsSeen(ari, primary.id)).toMatchObject({ like: [1, false], fire: [0, false] });
    await mergeInto(primary.id, duplicate.id, foreign.id);
    // Maya sees Ben's duplicate (AMER) but not Fatima's (EMEA): its reactions and notes stay out.
    expect(await reactionsSeen(maya, primary.id)).toEqual({
      like: [2, true],
      love: [0, false],
      insightful: [0, false],
      celebrate: [0, false],
      fire: [1, false],
    });
    expect(await reactionsSeen(ari, primary.id)).toMatchObject({ like: [2, false], fire: [1, true] });
    expect(await reactionsSeen(priya, primary.id)).toMatchObject({ like: [2, false], love: [1, false] });
  });

  it('lists the notes of all of them, oldest first, each naming its insight', async () => {
    const seenByMaya = await activity(maya, primary.id);
    expect(seenByMaya.notes).toEqual([notes.onPrimary, notes.onDuplicate]);
    expect(seenByMaya.notes.map((n) => n.insightId)).toEqual([primary.id, duplicate.id]);
    expect((await activity(priya, primary.id)).notes.map((n) => n.id)).toEqual(
      [notes.onPrimary, notes.onDuplicate, notes.onForeign].map((n) => n?.id),
    );
    // The duplicate itself still answers its own activity only.
    const own = await activity(maya, duplicate.id);
    expect(own.notes).toEqual([notes.onDuplicate]);
    expect(countOf(own.reactions, 'like')).toEqual({ reaction: 'like', count: 2, mine: true });
  });

  it('still lets people react and note on a merged duplicate; answers reactions as the activity shows them', async () => {
    const onDuplicate = await reactionsOf(await put(maya, duplicate.id, 'insightful'));
    expect(countOf(onDuplicate, 'insightful')).toEqual({ reaction: 'insightful', count: 1, mine: true });
    tick();
    const late = await note(ari, duplicate.id, { id: randomUUID(), body: 'Thanks Ben' });
    expect(late.status).toBe(201);
    notes.late = (await late.json()) as Note;
    // Reacting on the primary answers the union, exactly what its activity shows.
    const onPrimary = await reactionsOf(await put(ben, primary.id, 'like'));
    expect(onPrimary).toEqual((await activity(ben, primary.id)).reactions);
    expect(countOf(onPrimary, 'like')).toEqual({ reaction: 'like', count: 2, mine: true });
    expect(countOf(onPrimary, 'insightful')).toEqual({ reaction: 'insightful', count: 1, mine: false });
    expect((await activity(ari, primary.id)).notes.map((n) => n.id)).toEqual(
      [notes.onPrimary, notes.onDuplicate, notes.late].map((n) => n?.id),
    );
  });

  it('unmerging gives each record its own reactions and notes back, untouched', async () => {
    await mergeInto(null, duplicate.id, foreign.id);
    expect(await reactionsSeen(maya, primary.id)).toEqual({
      like: [2, true], // Maya and Ben, who liked both
      love: [0, false],
      insightful: [0, false],
      celebrate: [0, false],
      fire: [0, false],
    });
    expect((await activity(maya, primary.id)).notes).toEqual([notes.onPrimary]);
    expect(await reactionsSeen(maya, duplicate.id)).toMatchObject({
      like: [2, true],
      insightful: [1, true],
      fire: [1, false],
    });
    expect((await activity(ben, duplicate.id)).notes).toEqual([notes.onDuplicate, notes.late]);
    expect((await activity(fatima, foreign.id)).notes).toEqual([notes.onForeign]);
    expect(await reactionsSeen(fatima, foreign.id)).toMatchObject({ love: [1, true] });
  });
});
