import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  ne,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Insight, InsightFilter } from '../../../contract/api/insights.ts';
import { issueKindOf } from '../../../contract/reporting.ts';
import type { Db } from '../../db/client.ts';
import { eventSessions, events, insights, people } from '../../db/schema.ts';
import { filterConditions } from './insights.filter.ts';

export type NewInsightRow = typeof insights.$inferInsert;

/** Insert unless the id exists. Returns the row when this call created it, null when it already existed. */
export async function insertInsightIfAbsent(tx: Db, row: NewInsightRow) {
  const [created] = await tx
    .insert(insights)
    .values(row)
    .onConflictDoNothing({ target: insights.id })
    .returning({ id: insights.id });
  return created ?? null;
}

/** Unscoped ownership probe, only to tell a retry from a collision: never returned to a caller. */
export async function unsafeFindInsightAuthor(db: Db, id: string): Promise<string | null> {
  const [row] = await db
    .select({ authorId: insights.authorId })
    .from(insights)
    .where(eq(insights.id, id))
    .limit(1);
  return row?.authorId ?? null;
}

export async function findEventSession(db: Db, eventId: string, sessionId: string | null) {
  const [event] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId)).limit(1);
  if (!event) return { event: false, session: false };
  if (!sessionId) return { event: true, session: true };
  const [session] = await db
    .select({ id: eventSessions.id })
    .from(eventSessions)
    .where(and(eq(eventSessions.id, sessionId), eq(eventSessions.eventId, eventId)))
    .limit(1);
  return { event: true, session: Boolean(session) };
}

const followUpOwner = alias(people, 'follow_up_owner');

/** The insight row without its search document (PostgreSQL's business, never sent anywhere). */
const { searchVector: _searchVector, ...insightRow } = getTableColumns(insights);

export const insightColumns = {
  insight: insightRow,
  authorName: people.displayName,
  eventName: events.name,
  sessionTitle: eventSessions.title,
  followUpOwnerName: followUpOwner.displayName,
};

/** Insights with their author, event, session and follow-up owner: every read of an insight starts here. */
export function baseQuery(db: Db) {
  return db
    .select(insightColumns)
    .from(insights)
    .innerJoin(people, eq(people.id, insights.authorId))
    .leftJoin(events, eq(events.id, insights.eventId))
    .leftJoin(eventSessions, eq(eventSessions.id, insights.sessionId))
    .leftJoin(followUpOwner, eq(followUpOwner.id, insights.followUpOwnerId));
}

export type JoinedRow = {
  insight: Omit<typeof insights.$inferSelect, 'searchVector'>;
  authorName: string;
  eventName: string | null;
  sessionTitle: string | null;
  followUpOwnerName: string | null;
};

function followUpStateOf(row: JoinedRow): Insight['followUpState'] {
  const i = row.insight;
  if (!i.followUpStatus) return null;
  return {
    status: i.followUpStatus,
    owner:
      i.followUpOwnerId && row.followUpOwnerName
        ? { id: i.followUpOwnerId, name: row.followUpOwnerName }
        : null,
    issueUrl: i.followUpIssueUrl,
    issueKind: i.followUpIssueUrl ? issueKindOf(i.followUpIssueUrl) : null,
    updatedAt: i.followUpUpdatedAt?.toISOString() ?? null,
  };
}

/**
 * How many live duplicates are merged into each of these insights, counting only duplicates inside `scope` (the
 * reader's read scope): a merge made by someone with a wider scope never reveals a record this reader cannot
 * see. One grouped query per page, on insights_merged_into_idx.
 */
export async function mergedCounts(db: Db, scope: SQL, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: insights.mergedIntoId, n: count() })
    .from(insights)
    .where(and(scope, inArray(insights.mergedIntoId, [...ids])))
    .groupBy(insights.mergedIntoId);
  return new Map(rows.flatMap((r) => (r.id ? [[r.id, Number(r.n)] as const] : [])));
}

/** Full Insights of joined rows, with merged-duplicate counts taken within the reader's scope. */
export async function toInsights(db: Db, scope: SQL, rows: readonly JoinedRow[]): Promise<Insight[]> {
  const counts = await mergedCounts(
    db,
    scope,
    rows.map((row) => row.insight.id),
  );
  return rows.map((row) => toInsight(row, counts.get(row.insight.id) ?? 0));
}

/** One Insight; `mergedCount` comes from `mergedCounts` (0 where the caller does not show it). */
export function toInsight(row: JoinedRow, mergedCount = 0): Insight {
  const i = row.insight;
  return {
    id: i.id,
    text: i.text,
    title: i.title,
    type: i.type as Insight['type'],
    productAreas: i.productAreas as Insight['productAreas'],
    sentiment: i.sentiment as Insight['sentiment'],
    priority: i.priority as Insight['priority'],
    tags: i.tags,
    developer: i.developer ?? null,
    followUp: i.followUp,
    followUpState: followUpStateOf(row),
    event: i.eventId && row.eventName ? { id: i.eventId, name: row.eventName } : null,
    session: i.sessionId && row.sessionTitle ? { id: i.sessionId, title: row.sessionTitle } : null,
    author: { id: i.authorId, name: row.authorName },
    source: i.source,
    taxonomyVersion: i.taxonomyVersion,
    version: i.version,
    mergedInto: i.mergedIntoId,
    mergedCount,
    capturedAt: i.capturedAt.toISOString(),
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

/**
 * One insight in scope, with its merge count. (A capture builds its answer from the inserted row instead:
 * insights.capture.repo.ts.)
 */
export async function findInsight(db: Db, scope: SQL, id: string): Promise<Insight | null> {
  const rows = await baseQuery(db)
    .where(and(scope, eq(insights.id, id)))
    .limit(1);
  const [insight] = await toInsights(db, scope, rows);
  return insight ?? null;
}

/**
 * Newest first, keyset-paginated over (captured_at, id), for callers that list a fixed set of someone's
 * insights (the impact page); the review list with sorts, search and snippets is insights.list.ts. The caller's
 * `scope` decides whether merged duplicates are included. Fetches one extra row to know whether more exist.
 */
export async function listInsights(
  db: Db,
  scope: SQL,
  filters: Partial<InsightFilter>,
  page: { limit: number; after: { at: Date; id: string } | null },
) {
  const where = [scope, ...filterConditions(filters)];
  if (page.after) {
    where.push(
      sql`(${insights.capturedAt}, ${insights.id}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.id}::uuid)`,
    );
  }
  const rows = await baseQuery(db)
    .where(and(...where))
    .orderBy(desc(insights.capturedAt), desc(insights.id))
    .limit(page.limit + 1);
  const hasMore = rows.length > page.limit;
  const items = await toInsights(db, scope, rows.slice(0, page.limit));
  return { items, hasMore };
}

/** Full insights by id, in scope, in the order of `ids` (ids not found are skipped). */
export async function findInsightsByIds(db: Db, scope: SQL, ids: readonly string[]): Promise<Insight[]> {
  if (ids.length === 0) return [];
  const rows = await baseQuery(db).where(and(scope, inArray(insights.id, [...ids])));
  const byId = new Map((await toInsights(db, scope, rows)).map((insight) => [insight.id, insight]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The classification of the insights a bulk change names, in scope, locked until the transaction ends. */
export async function lockForBulk(tx: Db, scope: SQL, ids: readonly string[]) {
  return tx
    .select({
      id: insights.id,
      version: insights.version,
      type: insights.type,
      sentiment: insights.sentiment,
      priority: insights.priority,
      tags: insights.tags,
      productAreas: insights.productAreas,
    })
    .from(insights)
    .where(and(scope, inArray(insights.id, [...ids])))
    .for('update', { of: insights });
}

/** A person who may own a follow-up: known to the directory and not deactivated. */
export async function isAssignablePerson(db: Db, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.id, id), ne(people.status, 'deactivated')))
    .limit(1);
  return Boolean(row);
}

export type InsightChanges = Partial<
  Pick<
    NewInsightRow,
    | 'text'
    | 'title'
    | 'type'
    | 'productAreas'
    | 'sentiment'
    | 'priority'
    | 'tags'
    | 'developer'
    | 'followUp'
    | 'eventId'
    | 'sessionId'
    | 'followUpStatus'
    | 'followUpOwnerId'
    | 'followUpIssueUrl'
    | 'followUpUpdatedAt'
  >
>;

/**
 * Optimistic concurrency: apply the changes only while the row still has the version the edit started from,
 * bumping it. Returns null when another edit got there first (or the row is gone): the caller answers 409.
 */
export async function updateInsightAtVersion(
  tx: Db,
  id: string,
  version: number,
  changes: InsightChanges,
  now: Date,
) {
  const [row] = await tx
    .update(insights)
    .set({ ...changes, version: sql`${insights.version} + 1`, updatedAt: now })
    .where(and(eq(insights.id, id), eq(insights.version, version)))
    .returning({ id: insights.id, version: insights.version });
  return row ?? null;
}

/** Where a page starts: after this row of the previous page, in the sort's order. */
export type Keyset =
  | { sort: 'newest' | 'oldest'; at: string; id: string }
  | { sort: 'relevance'; rank: number; id: string };

export interface PageRequest {
  /** Scope, merged duplicates, the filter (q included): the rows that match. */
  where: SQL;
  sort: 'newest' | 'oldest' | 'relevance';
  /** The full-text query of q; rank and headline are computed only with it. */
  tsquery: SQL | null;
  after: Keyset | null;
  limit: number;
}

export interface PageHit {
  id: string;
  /** captured_at as ISO 8601 text, microseconds kept (a cursor must not round it). */
  at: string;
  rank: number | null;
  headline: string | null;
}

/**
 * ts_headline marks matches with control characters (never HTML): the service splits them into segments.
 * Before it runs, the text loses the two sentinels (a stored text can never fake a highlight), and `<`, `>`,
 * `&` become private-use stand-ins (the parser would otherwise take `<b>` or `&amp;` for markup and drop it from
 * the headline, so "List<String>" would read "List String"); snippetSegments puts them back.
 */
export const HEADLINE_STAND_INS = { '<': '\uE000', '>': '\uE001', '&': '\uE002' } as const;
const HEADLINE_FROM = `${Object.keys(HEADLINE_STAND_INS).join('')}\u0002\u0003`;
const HEADLINE_TO = Object.values(HEADLINE_STAND_INS).join('');

/** The text ts_headline should read: without the sentinels, with the markup characters as stand-ins. */
export function headlineSource(text: SQLWrapper): SQL {
  return sql`translate(${text}, ${HEADLINE_FROM}, ${HEADLINE_TO})`;
}

const HEADLINE_OPTIONS =
  'StartSel=\u0002, StopSel=\u0003, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "';

/**
 * One page of matching ids in the sort's order, keyset-paginated (never OFFSET): newest and oldest walk
 * insights_captured_order_idx over (captured_at, id); relevance orders by (ts_rank_cd, id), both descending, and its
 * keyset is the same pair, so paging returns every match exactly once. The headline is computed in the outer
 * query, over the page's rows only (the subquery has already applied the limit), never over every match.
 * Fetches one extra row to know whether another page exists.
 */
export async function pageInsightHits(db: Db, req: PageRequest): Promise<PageHit[]> {
  const rank = req.tsquery
    ? sql<number>`ts_rank_cd(${insights.searchVector}, ${req.tsquery})`
    : sql<number | null>`null::real`;
  const where = [req.where];
  const after = req.after;
  if (after?.sort === 'newest')
    where.push(sql`(${insights.capturedAt}, ${insights.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  if (after?.sort === 'oldest')
    where.push(sql`(${insights.capturedAt}, ${insights.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  if (after?.sort === 'relevance')
    where.push(sql`(${rank}, ${insights.id}) < (${after.rank}::real, ${after.id}::uuid)`);
  const order =
    req.sort === 'relevance'
      ? [sql`${rank} desc`, desc(insights.id)]
      : req.sort === 'oldest'
        ? [asc(insights.capturedAt), asc(insights.id)]
        : [desc(insights.capturedAt), desc(insights.id)];
  const page = db
    .select({
      id: insights.id,
      capturedAt: insights.capturedAt,
      at: sql<string>`to_json(${insights.capturedAt}) #>> '{}'`.as('at'),
      rank: rank.as('rank'),
      text: insights.text,
    })
    .from(insights)
    .where(and(...where))
    .orderBy(...order)
    .limit(req.limit + 1)
    .as('page');
  const headline = req.tsquery
    ? sql<string>`ts_headline('english', ${headlineSource(page.text)}, ${req.tsquery}, ${HEADLINE_OPTIONS})`
    : sql<string | null>`null`;
  const outerOrder =
    req.sort === 'relevance'
      ? [desc(page.rank), desc(page.id)]
      : req.sort === 'oldest'
        ? [asc(page.capturedAt), asc(page.id)]
        : [desc(page.capturedAt), desc(page.id)];
  const rows = await db
    .select({ id: page.id, at: page.at, rank: page.rank, headline })
    .from(page)
    .orderBy(...outerOrder);
  return rows.map((row) => ({ ...row, rank: row.rank === null ? null : Number(row.rank) }));
}
