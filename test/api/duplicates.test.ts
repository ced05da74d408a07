import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insight, InsightPage } from '../../src/contract/api/insights.ts';
import type { Dashboard } from '../../src/contract/api/reporting.ts';
import type {
  DuplicateCandidate,
  DuplicatePairs,
  MergedDuplicate,
  MergeResult,
  UnmergeResult,
} from '../../src/contract/api/review.ts';
import type { InsightActivity } from '../../src/contract/api/social.ts';
import { duplicateDismissals, insightMerges } from '../../src/server/db/schema.reporting.ts';
import { auditEvents } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Near-duplicates over HTTP: detection inside the caller's scope, reversible merges (managers and admins),
 * dismissals, audit events. The app's clock stands still at the minute the file started (sessions need it
 * near real time), so windows and "days apart" are deterministic.
 */
const DAY = 86_400_000;
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000);
/** The UTC day `days` before NOW, as the API's from/to take it. */
const dayBefore = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString().slice(0, 10);

let stack: TestStack;
let ari: Session; // advocate, AMER
let ben: Session; // advocate, AMER
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let erik: Session; // manager, EMEA
let dana: Session; // director: whole organization
let priya: Session; // admin
let victor: Session; // viewer

/** The same Compass crash, heard four times (three in AMER, once in EMEA), the same Lambda problem twice in
 * EMEA, and unrelated feedback. */
let crashAri: Insight;
let crashBen: Insight;
let crashBen2: Insight;
let crashFatima: Insight;
let chartsAri: Insight;
let oldAri: Insight; // 60 days ago
let oldBen: Insight; // 50 days ago: a pair outside the default 30-day window
let lambdaFatima: Insight;
let lambdaGustav: Insight;
let lambdaAri: Insight; // AMER, newer than the EMEA captures of the same problem

const db = () => stack.db.database.db;

async function capture(who: Session, daysAgo: number, text: string, extra: Record<string, unknown> = {}) {
  const response = await who.post('/api/v1/insights', {
    id: randomUUID(),
    text,
    type: 'bug_report',
    productAreas: ['compass'],
    sentiment: 'negative',
    priority: 'high',
    capturedAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
    ...extra,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Insight;
}

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  const gustav = await stack.signIn('gustav.berg@example.com');
  const names =
    'ari.levy ben.carter fatima.zahra maya.patel erik.lindqvist dana.okafor priya.raman victor.chen';
  [ari, ben, fatima, maya, erik, dana, priya, victor] = (await Promise.all(
    names.split(' ').map((n) => stack.signIn(`${n}@example.com`)),
  )) as [Session, Session, Session, Session, Session, Session, Session, Session];
  const acme = { developer: { company: 'Acme' } };
  const docs = { type: 'documentation' };
  const rows: [Session, number, string, Record<string, unknown>?][] = [
    [ari, 10, 'Compass crashes when opening a collection with very large documents (close to 16MB)', acme],
    [ben, 5, 'Compas crashes opening a collection with very large documnets, near the 16MB limit', acme],
    [ben, 2, 'Compass keeps crashing when they open collections that have huge documents close to 16 MB'],
    [fatima, 3, 'Compass crashes opening a collection with very large documents near 16MB'],
    [ari, 1, 'Charts should support scheduled PDF reports by email', { type: 'feature_request' }],
    [ari, 60, 'Go driver docs lack examples for transactions with retries', docs],
    [ben, 50, 'The Go driver documentation lacks transaction examples with retry logic', docs],
    [fatima, 4, 'Node driver connection pool times out under load when running in AWS Lambda'],
    [gustav, 3, 'In AWS Lambda, under load, the Node driver connection pool times out'],
    [ari, 1, 'Node driver connection pool keeps timing out under load in their AWS Lambda functions'],
  ];
  const made: Insight[] = [];
  for (const [who, daysAgo, text, extra] of rows) made.push(await capture(who, daysAgo, text, extra));
  [
    crashAri,
    crashBen,
    crashBen2,
    crashFatima,
    chartsAri,
    oldAri,
    oldBen,
    lambdaFatima,
    lambdaGustav,
    lambdaAri,
  ] = made as [Insight, Insight, Insight, Insight, Insight, Insight, Insight, Insight, Insight, Insight];
});
afterAll(async () => {
  await stack?.close();
});

const candidatesOf = async (who: Session, id: string) =>
  (await who.json<{ candidates: DuplicateCandidate[] }>(`/api/v1/insights/${id}/duplicates`)).candidates;
const pairsOf = (who: Session, query = '') => who.json<DuplicatePairs>(`/api/v1/duplicates${query}`);
const pairIds = (pairs: DuplicatePairs) => pairs.pairs.map((p) => [p.a.id, p.b.id].sort().join('|'));
const pairOf = (x: Insight, y: Insight) => [x.id, y.id].sort().join('|');
const merge = (who: Session, primary: Insight | string, duplicates: (Insight | string)[]) =>
  who.post(`/api/v1/insights/${typeof primary === 'string' ? primary : primary.id}/merge`, {
    duplicateIds: duplicates.map((d) => (typeof d === 'string' ? d : d.id)),
  });
const unmerge = (who: Session, duplicate: Insight) =>
  who.post(`/api/v1/insights/${duplicate.id}/unmerge`, {});
const dismiss = (who: Session, a: Insight | string, b: Insight | string) =>
  who.post('/api/v1/duplicates/dismiss', {
    a: typeof a === 'string' ? a : a.id,
    b: typeof b === 'string' ? b : b.id,
  });
async function problem(response: Response) {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as { detail: string; errors?: { field: string; message: string }[] };
}
async function auditRows(action: string, targetId: string) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));
}
const mergeRows = async () => Number((await db().select({ n: count() }).from(insightMerges))[0]?.n);
/** Every page of the caller's insight list (what GET /api/v1/insights shows), as ids. */
async function listed(who: Session, query = ''): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? '&' : '?';
    const page: InsightPage = await who.json<InsightPage>(
      `/api/v1/insights${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}
async function insightsCard(who: Session): Promise<number> {
  const dashboard = await who.json<Dashboard>('/api/v1/dashboard?period=last30');
  return dashboard.cards.find((c) => c.key === 'insights')?.value ?? -1;
}

describe('detection', () => {
  it('proposes candidates for one insight, in the caller’s scope only, with reasons', async () => {
    const seenByMaya = await candidatesOf(maya, crashAri.id);
    expect(seenByMaya.map((c) => c.insight.id).sort()).toEqual([crashBen.id, crashBen2.id].sort());
    expect(seenByMaya.map((c) => c.similarity)).toEqual(
      [...seenByMaya.map((c) => c.similarity)].sort((x, y) => y - x),
    );
    const ben1 = seenByMaya.find((c) => c.insight.id === crashBen.id);
    expect(ben1?.similarity).toBeGreaterThanOrEqual(0.4);
    expect(ben1?.reasons[0]).toMatch(/^\d+ % alike in wording$/);
    expect(ben1?.reasons).toEqual(
      expect.arrayContaining([
        'same type (Bug Report)',
        'same product area (Compass)',
        'same developer company (Acme)',
        'captured by different people',
        'captured 5 days apart',
      ]),
    );
    // The org-wide director also sees the EMEA capture of the same crash; the charts request is never proposed.
    const seenByDana = (await candidatesOf(dana, crashAri.id)).map((c) => c.insight.id);
    expect(seenByDana).toContain(crashFatima.id);
    expect(seenByDana).not.toContain(chartsAri.id);
    // Viewers read candidates (read-only); outside the scope the insight does not exist.
    expect((await candidatesOf(victor, crashAri.id)).length).toBe(3);
    expect((await fatima.get(`/api/v1/insights/${crashAri.id}/duplicates`)).status).toBe(404);
    expect((await maya.get(`/api/v1/insights/${randomUUID()}/duplicates`)).status).toBe(404);
  });

  it('lists pairs in the window, most similar first; a manager never sees one outside the tree', async () => {
    const mayas = await pairsOf(maya);
    // Ben's two captures are worded too differently (31 % alike) to be proposed with each other.
    expect(pairIds(mayas).sort()).toEqual([pairOf(crashAri, crashBen), pairOf(crashAri, crashBen2)].sort());
    const sims = mayas.pairs.map((p) => p.similarity);
    expect(sims).toEqual([...sims].sort((x, y) => y - x));
    for (const p of mayas.pairs) expect(Date.parse(p.a.capturedAt)).toBeLessThan(Date.parse(p.b.capturedAt));
    // Ari's Lambda capture is in Maya's tree and newer, but its partners are EMEA's: no pair for either manager.
    const eriks = await pairsOf(erik);
    expect(pairIds(eriks)).toEqual([pairOf(lambdaFatima, lambdaGustav)]);
    expect(await candidatesOf(maya, lambdaAri.id)).toEqual([]);
    const danas = pairIds(await pairsOf(dana));
    expect(danas).toContain(pairOf(crashAri, crashFatima));
    expect(danas).toContain(pairOf(lambdaGustav, lambdaAri));
    expect(danas).toHaveLength(7); // 4 pairs of crash captures at least 40 % alike, 3 of the Lambda captures
    // The old Go-docs pair was heard 50 and 60 days ago: only a window reaching back finds it.
    expect(danas).not.toContain(pairOf(oldAri, oldBen));
    const older = await pairsOf(maya, `?from=${dayBefore(70)}&to=${dayBefore(40)}`);
    expect(pairIds(older)).toEqual([pairOf(oldAri, oldBen)]);
  });

  it('pages with a keyset cursor: one pair a page gives the same pairs in the same order', async () => {
    const all = pairIds(await pairsOf(dana, '?limit=100'));
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await pairsOf(dana, query);
      expect(page.pairs.length).toBeLessThanOrEqual(1);
      paged.push(...pairIds(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('answers 400 naming the field for a window over 92 days, a reversed window, a bad cursor', async () => {
    const tooLong = await maya.get(`/api/v1/duplicates?from=${dayBefore(92)}&to=${dayBefore(0)}`);
    expect(tooLong.status).toBe(400);
    expect((await problem(tooLong)).errors?.map((e) => e.field)).toEqual(['query.to']);
    const reversed = await maya.get(`/api/v1/duplicates?from=${dayBefore(5)}&to=${dayBefore(14)}`);
    expect((await problem(reversed)).errors?.map((e) => e.field)).toEqual(['query.to']);
    const cursor = await maya.get('/api/v1/duplicates?cursor=bm90LWEtY3Vyc29y');
    expect(cursor.status).toBe(400);
    expect((await problem(cursor)).errors?.map((e) => e.field)).toEqual(['query.cursor']);
    const low = await maya.get('/api/v1/duplicates?minSimilarity=0.1');
    expect(low.status).toBe(400);
    expect((await problem(low)).errors?.map((e) => e.field)).toEqual(['query.minSimilarity']);
    expect((await maya.get(`/api/v1/duplicates?from=${dayBefore(91)}&to=${dayBefore(0)}`)).status).toBe(200);
  });
});

describe('roles', () => {
  it('refuses advocates and viewers with 403 before any lookup, writing nothing', async () => {
    for (const who of [ari, victor]) {
      expect((await merge(who, crashAri, [crashBen])).status).toBe(403);
      expect((await merge(who, randomUUID(), [randomUUID()])).status).toBe(403);
      expect((await unmerge(who, crashBen)).status).toBe(403);
      expect((await dismiss(who, crashAri, crashBen)).status).toBe(403);
    }
    expect(await mergeRows()).toBe(0);
    expect(await db().select().from(duplicateDismissals)).toEqual([]);
  });
});

describe('merge and unmerge', () => {
  it('answers 404 naming the field for an insight outside the manager’s tree, writing nothing', async () => {
    const outside = await merge(maya, crashAri, [crashBen2, crashFatima]);
    expect(outside.status).toBe(404);
    expect((await problem(outside)).errors?.map((e) => e.field)).toEqual(['body.duplicateIds[1]']);
    expect((await merge(maya, crashFatima, [crashAri])).status).toBe(404);
    expect((await merge(maya, crashAri, [randomUUID()])).status).toBe(404);
    expect(await mergeRows()).toBe(0);
    expect((await fatima.get(`/api/v1/insights/${crashAri.id}/merges`)).status).toBe(404);
  });

  it('merges reversibly: the duplicate leaves lists and counts, and comes back with its reactions and notes', async () => {
    // Activity on the duplicate before the merge, through the existing routes.
    expect((await ari.send('PUT', `/api/v1/insights/${crashBen.id}/reactions/like`, {})).status).toBe(200);
    const noteId = randomUUID();
    expect(
      (await ben.post(`/api/v1/insights/${crashBen.id}/notes`, { id: noteId, body: 'Seen twice' })).status,
    ).toBe(201);
    const cardBefore = await insightsCard(maya);
    expect(await listed(maya)).toContain(crashBen.id);

    const response = await merge(maya, crashAri, [crashBen]);
    expect(response.status, await response.clone().text()).toBe(200);
    const result = (await response.json()) as MergeResult;
    expect(result.primary.id).toBe(crashAri.id);
    expect(result.primary.mergedCount).toBe(1);
    expect(result.merged).toHaveLength(1);
    const [merged] = result.merged as [MergedDuplicate];
    expect(merged.insight).toMatchObject({ id: crashBen.id, mergedInto: crashAri.id });
    expect(merged.similarity).toBeGreaterThanOrEqual(0.4);
    expect(merged.mergedBy.name).toBe('Maya Patel');
    expect(merged.mergedAt).toBe(NOW.toISOString());

    const [event] = await auditRows('insight.merged', crashBen.id);
    expect(event?.details).toEqual({
      mergeId: merged.mergeId,
      primaryId: crashAri.id,
      similarity: merged.similarity,
    });
    expect(event?.actorRole).toBe('manager');

    // Gone from the list, from searches and from counts; still there when asked by id.
    expect(await listed(maya)).not.toContain(crashBen.id);
    expect(await listed(maya, '?q=compass')).not.toContain(crashBen.id);
    expect(await insightsCard(maya)).toBe(cardBefore - 1);
    expect((await maya.json<Insight>(`/api/v1/insights/${crashBen.id}`)).mergedInto).toBe(crashAri.id);
    // No longer proposed; the merges of the primary list it (viewers read them too).
    expect((await candidatesOf(maya, crashAri.id)).map((c) => c.insight.id)).not.toContain(crashBen.id);
    expect(pairIds(await pairsOf(maya))).toEqual([pairOf(crashAri, crashBen2)]);
    const merges = await victor.json<{ merged: MergedDuplicate[] }>(`/api/v1/insights/${crashAri.id}/merges`);
    expect(merges.merged.map((m) => m.mergeId)).toEqual([merged.mergeId]);

    const back = await unmerge(maya, crashBen);
    expect(back.status, await back.clone().text()).toBe(200);
    const restored = (await back.json()) as UnmergeResult;
    expect(restored.insight).toMatchObject({ id: crashBen.id, mergedInto: null, text: crashBen.text });
    expect(restored.primary).toMatchObject({ id: crashAri.id, mergedCount: 0 });
    const activity = await ben.json<InsightActivity>(`/api/v1/insights/${crashBen.id}/activity`);
    expect(activity.reactions.find((r) => r.reaction === 'like')?.count).toBe(1);
    expect(activity.notes.map((n) => n.id)).toEqual([noteId]);
    expect(await listed(maya)).toContain(crashBen.id);
    expect(await insightsCard(maya)).toBe(cardBefore);
    expect(
      (await maya.json<{ merged: MergedDuplicate[] }>(`/api/v1/insights/${crashAri.id}/merges`)).merged,
    ).toEqual([]);
    const [record] = await db().select().from(insightMerges).where(eq(insightMerges.id, merged.mergeId));
    expect(record?.unmergedAt?.toISOString()).toBe(NOW.toISOString());
    expect(await auditRows('insight.unmerged', crashBen.id)).toMatchObject([
      { details: { mergeId: merged.mergeId, primaryId: crashAri.id } },
    ]);
    // Unmerging what is not merged is a conflict.
    expect((await unmerge(maya, crashBen)).status).toBe(409);
  });

  it('refuses chains and self-merges with 409 and a clear message, writing nothing', async () => {
    expect((await merge(maya, crashAri, [crashBen])).status).toBe(200);
    const rows = await mergeRows();
    const self = await merge(maya, crashBen2, [crashBen2]);
    expect(self.status).toBe(409);
    expect((await problem(self)).detail).toMatch(/into itself/);
    const again = await merge(maya, crashBen2, [crashBen]);
    expect(again.status).toBe(409);
    expect((await problem(again)).errors?.map((e) => e.field)).toEqual(['body.duplicateIds[0]']);
    const intoMerged = await merge(maya, crashBen, [crashBen2]);
    expect(intoMerged.status).toBe(409);
    expect((await problem(intoMerged)).detail).toMatch(/itself merged/);
    const primaryAway = await merge(maya, crashBen2, [chartsAri, crashAri]);
    expect(primaryAway.status).toBe(409);
    expect((await problem(primaryAway)).errors?.map((e) => e.field)).toEqual(['body.duplicateIds[1]']);
    const repeated = await merge(maya, crashBen2, [chartsAri, chartsAri]);
    expect(repeated.status).toBe(400);
    expect(await mergeRows()).toBe(rows);
    expect((await maya.json<Insight>(`/api/v1/insights/${chartsAri.id}`)).mergedInto).toBeNull();
    expect((await unmerge(maya, crashBen)).status).toBe(200);
  });

  it('keeps a cross-team merge out of a manager’s sight: the duplicate stays invisible, its unmerge 404', async () => {
    const response = await merge(dana, crashAri, [crashFatima]);
    expect(response.status).toBe(200);
    const mayas = await maya.json<{ merged: MergedDuplicate[] }>(`/api/v1/insights/${crashAri.id}/merges`);
    expect(mayas.merged).toEqual([]);
    // …and the primary's count of merged duplicates does not give it away either (same list and detail).
    expect((await maya.json<Insight>(`/api/v1/insights/${crashAri.id}`)).mergedCount).toBe(0);
    const listed = await maya.json<{ items: Insight[] }>(
      `/api/v1/insights?authorId=${crashAri.author.id}&limit=100`,
    );
    expect(listed.items.find((i) => i.id === crashAri.id)?.mergedCount).toBe(0);
    expect((await dana.json<Insight>(`/api/v1/insights/${crashAri.id}`)).mergedCount).toBe(1);
    expect((await unmerge(maya, crashFatima)).status).toBe(404);
    // Erik reads the duplicate but not its primary: the merge is not his to undo either.
    expect((await unmerge(erik, crashFatima)).status).toBe(404);
    const danas = await dana.json<{ merged: MergedDuplicate[] }>(`/api/v1/insights/${crashAri.id}/merges`);
    expect(danas.merged.map((m) => m.insight.id)).toEqual([crashFatima.id]);
    expect((await unmerge(priya, crashFatima)).status).toBe(200);
  });
});

describe('dismissals', () => {
  it('never proposes a dismissed pair again, in either order; idempotent with one audit event', async () => {
    expect(pairIds(await pairsOf(maya))).toContain(pairOf(crashAri, crashBen2));
    const first = await dismiss(maya, crashBen2, crashAri);
    expect(first.status).toBe(204);
    expect((await dismiss(maya, crashAri, crashBen2)).status).toBe(204);
    const [small, large] = [crashAri.id, crashBen2.id].sort() as [string, string];
    const rows = await db().select().from(duplicateDismissals);
    expect(rows).toMatchObject([{ insightA: small, insightB: large }]);
    const events = await auditRows('duplicate.dismissed', small);
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toEqual({ otherId: large });

    expect(pairIds(await pairsOf(maya))).not.toContain(pairOf(crashAri, crashBen2));
    expect(pairIds(await pairsOf(dana))).not.toContain(pairOf(crashAri, crashBen2));
    expect((await candidatesOf(maya, crashAri.id)).map((c) => c.insight.id)).not.toContain(crashBen2.id);
    expect((await candidatesOf(maya, crashBen2.id)).map((c) => c.insight.id)).not.toContain(crashAri.id);
    expect(pairIds(await pairsOf(maya))).toContain(pairOf(crashAri, crashBen));
  });

  it('answers 400 for a pair of one insight and 404 naming the field outside the scope', async () => {
    const same = await dismiss(maya, crashAri, crashAri);
    expect(same.status).toBe(400);
    expect((await problem(same)).errors?.map((e) => e.field)).toEqual(['body.b']);
    const outside = await dismiss(maya, crashAri, crashFatima);
    expect(outside.status).toBe(404);
    expect((await problem(outside)).errors?.map((e) => e.field)).toEqual(['body.b']);
    expect(await db().select().from(duplicateDismissals)).toHaveLength(1);
  });
});
