import { getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { eventSessions, events, insights, people } from '../../db/schema.ts';
import type { JoinedRow, NewInsightRow } from './insights.repo.ts';

/** The insight row without its search document, as every read returns it. */
const { searchVector: _searchVector, ...insightRow } = getTableColumns(insights);

/**
 * What an insight read joins in (author, event, session), as scalar subqueries in RETURNING: the inserted row
 * comes back exactly as `findInsight` would read it, without a second query. A new insight has no follow-up
 * owner (the capture never sets one).
 */
const joinedNames = {
  authorName: sql<string>`(select p.display_name from ${people} p where p.id = ${insights}.author_id)`,
  eventName: sql<string | null>`(select e.name from ${events} e where e.id = ${insights}.event_id)`,
  sessionTitle: sql<
    string | null
  >`(select s.title from ${eventSessions} s where s.id = ${insights}.session_id)`,
};

/**
 * Insert the rows whose id is not taken yet (one statement), returning those this call created as joined rows
 * (the others already existed: a retry, or an id in use). Rows are written in id order, so two batches with
 * overlapping ids take their row locks in the same order and cannot deadlock.
 */
export async function insertNewInsights(tx: Db, rows: readonly NewInsightRow[]): Promise<JoinedRow[]> {
  if (rows.length === 0) return [];
  const ordered = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const created = await tx
    .insert(insights)
    .values(ordered)
    .onConflictDoNothing({ target: insights.id })
    .returning({ ...insightRow, ...joinedNames });
  return created.map(({ authorName, eventName, sessionTitle, ...insight }) => ({
    insight,
    authorName,
    eventName,
    sessionTitle,
    followUpOwnerName: null,
  }));
}

/** Unscoped ownership probe for many ids, only to tell retries from collisions: never returned to a caller. */
export async function unsafeFindInsightAuthors(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: insights.id, authorId: insights.authorId })
    .from(insights)
    .where(inArray(insights.id, [...ids]));
  return new Map(rows.map((row) => [row.id, row.authorId]));
}

/** Which of these events exist, and which of these sessions exist in which event (one query each). */
export async function findEventsAndSessions(
  db: Db,
  eventIds: readonly string[],
  sessionIds: readonly string[],
): Promise<{ events: Set<string>; sessions: Set<string> }> {
  const found = {
    events: new Set<string>(),
    /** `${eventId}/${sessionId}` */
    sessions: new Set<string>(),
  };
  if (eventIds.length === 0) return found;
  const eventRows = await db
    .select({ id: events.id })
    .from(events)
    .where(inArray(events.id, [...new Set(eventIds)]));
  for (const row of eventRows) found.events.add(row.id);
  if (sessionIds.length === 0) return found;
  const sessionRows = await db
    .select({ id: eventSessions.id, eventId: eventSessions.eventId })
    .from(eventSessions)
    .where(inArray(eventSessions.id, [...new Set(sessionIds)]));
  for (const row of sessionRows) found.sessions.add(`${row.eventId}/${row.id}`);
  return found;
}
