import { and, arrayContains, desc, eq, getTableColumns, gte, lt, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Insight } from '../../../contract/api/insights.ts';
import { issueKindOf } from '../../../contract/reporting.ts';
import type { Db } from '../../db/client.ts';
import { eventSessions, events, insights, people } from '../../db/schema.ts';

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
  mergedCount:
    sql<number>`(select count(*) from insights as merged where merged.merged_into_id = ${insights.id})`.mapWith(
      Number,
    ),
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
  mergedCount: number;
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

export function toInsight(row: JoinedRow): Insight {
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
    mergedCount: row.mergedCount,
    capturedAt: i.capturedAt.toISOString(),
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

export async function findInsight(db: Db, scope: SQL, id: string): Promise<Insight | null> {
  const [row] = await baseQuery(db)
    .where(and(scope, eq(insights.id, id)))
    .limit(1);
  return row ? toInsight(row) : null;
}

export interface InsightFilters {
  type?: string | undefined;
  sentiment?: string | undefined;
  priority?: string | undefined;
  productArea?: string | undefined;
  eventId?: string | undefined;
  authorId?: string | undefined;
  followUp?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The list's filters as SQL conditions; reporting filters should reuse these so a filter means one thing. */
function filterConditions(f: InsightFilters): SQL[] {
  const where: SQL[] = [];
  if (f.type) where.push(eq(insights.type, f.type));
  if (f.sentiment) where.push(eq(insights.sentiment, f.sentiment));
  if (f.priority) where.push(eq(insights.priority, f.priority));
  if (f.productArea) where.push(arrayContains(insights.productAreas, [f.productArea]));
  if (f.eventId) where.push(eq(insights.eventId, f.eventId));
  if (f.authorId) where.push(eq(insights.authorId, f.authorId));
  if (f.followUp !== undefined) where.push(eq(insights.followUp, f.followUp));
  if (f.from) where.push(gte(insights.capturedAt, new Date(`${f.from}T00:00:00.000Z`)));
  if (f.to)
    where.push(lt(insights.capturedAt, new Date(new Date(`${f.to}T00:00:00.000Z`).getTime() + 86_400_000)));
  return where;
}

/** One page, newest first, keyset-paginated; fetches one extra row to know whether another page exists. */
export async function listInsights(
  db: Db,
  scope: SQL,
  filters: InsightFilters,
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
  const items = rows.slice(0, page.limit).map(toInsight);
  return { items, hasMore };
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
