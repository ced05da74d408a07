import { and, asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { EventCoverage, EventDetail, EventSession } from '../../../contract/api/events.ts';
import type { Db } from '../../db/client.ts';
import { eventAssignments } from '../../db/schema.program.ts';
import { eventSessions, insights, people } from '../../db/schema.ts';
import { personInScope } from '../access/scope.sql.ts';
import type { Actor } from '../identity/actor.ts';
import { reportableScope } from '../insights/insights.filter.ts';
import { countsFor, type EventHead, toListItem } from './events.repo.ts';

/**
 * One event in full: assignments, sessions with their insight counts, capture coverage and the newest linked
 * insights. Every insight number and insight here is limited to the reader's insight scope (merged duplicates
 * left out), so the page never reveals captures the reader could not open.
 */

export const LATEST_INSIGHTS = 10;
export const EXCERPT_MAX = 200;

type SessionRow = typeof eventSessions.$inferSelect;
type LinkedInsight = EventDetail['latestInsights'][number];

/** At most EXCERPT_MAX characters, cut at a word when one ends near the limit. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_MAX) return flat;
  const cut = flat.slice(0, EXCERPT_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_MAX - 40 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function toSession(row: SessionRow, insightCount: number): EventSession {
  return {
    id: row.id,
    eventId: row.eventId,
    title: row.title,
    speaker: row.speaker,
    room: row.room,
    startsAt: row.startsAt ? row.startsAt.toISOString() : null,
    endsAt: row.endsAt ? row.endsAt.toISOString() : null,
    audienceSize: row.audienceSize,
    commonQuestions: row.commonQuestions,
    resonantDemos: row.resonantDemos,
    engagementNotes: row.engagementNotes,
    insightCount,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** In-scope insights per session of these sessions, one grouped query. */
export async function sessionInsightCounts(
  db: Db,
  actor: Actor,
  ids: string[],
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: insights.sessionId, n: count() })
    .from(insights)
    .where(and(inArray(insights.sessionId, ids), reportableScope(actor)))
    .groupBy(insights.sessionId);
  return new Map(rows.flatMap((r) => (r.id ? [[r.id, Number(r.n)] as [string, number]] : [])));
}

async function sessionsOf(db: Db, actor: Actor, eventId: string): Promise<EventSession[]> {
  const rows = await db
    .select()
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId))
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.title), asc(eventSessions.id));
  const counts = await sessionInsightCounts(
    db,
    actor,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSession(r, counts.get(r.id) ?? 0));
}

async function assignmentsOf(db: Db, actor: Actor, eventId: string) {
  return db
    .select({
      id: people.id,
      name: people.displayName,
      team: people.team,
      role: eventAssignments.role,
      inScope: sql<boolean>`(${personInScope(eventAssignments.personId, actor)})`.mapWith(Boolean),
    })
    .from(eventAssignments)
    .innerJoin(people, eq(people.id, eventAssignments.personId))
    .where(eq(eventAssignments.eventId, eventId))
    .orderBy(asc(eventAssignments.role), asc(people.displayName), asc(people.id));
}

/** Captures at the event per author, within the caller's scope. */
async function authorsAt(db: Db, where: SQL) {
  return db
    .select({ id: people.id, name: people.displayName, n: count() })
    .from(insights)
    .innerJoin(people, eq(people.id, insights.authorId))
    .where(where)
    .groupBy(people.id, people.displayName)
    .orderBy(desc(count()), asc(people.displayName));
}

async function latestAt(db: Db, where: SQL): Promise<LinkedInsight[]> {
  const rows = await db
    .select({
      id: insights.id,
      title: insights.title,
      text: insights.text,
      type: insights.type,
      sentiment: insights.sentiment,
      priority: insights.priority,
      sessionId: insights.sessionId,
      authorId: people.id,
      authorName: people.displayName,
      capturedAt: insights.capturedAt,
    })
    .from(insights)
    .innerJoin(people, eq(people.id, insights.authorId))
    .where(where)
    .orderBy(desc(insights.capturedAt), desc(insights.id))
    .limit(LATEST_INSIGHTS);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    excerpt: excerpt(r.text),
    type: r.type as LinkedInsight['type'],
    sentiment: r.sentiment as LinkedInsight['sentiment'],
    priority: r.priority as LinkedInsight['priority'],
    sessionId: r.sessionId,
    author: { id: r.authorId, name: r.authorName },
    capturedAt: r.capturedAt.toISOString(),
  }));
}

/** The full detail of an event the caller has already found (`findEventHead`). */
export async function eventDetail(db: Db, actor: Actor, head: EventHead): Promise<EventDetail> {
  const e = head.event;
  const counts = await countsFor(db, actor, [e.id]);
  const linked = and(eq(insights.eventId, e.id), reportableScope(actor)) as SQL;
  const [assignments, sessions, authors, latestInsights] = [
    await assignmentsOf(db, actor, e.id),
    await sessionsOf(db, actor, e.id),
    await authorsAt(db, linked),
    await latestAt(db, linked),
  ];
  const byAuthor = new Map(authors.map((a) => [a.id, Number(a.n)]));
  const assignedIds = new Set(assignments.map((a) => a.id));
  const assigned: EventCoverage['assigned'] = assignments.map((a) => ({
    person: { id: a.id, name: a.name },
    role: a.role,
    insights: a.inScope ? (byAuthor.get(a.id) ?? 0) : 0,
    inScope: a.inScope,
  }));
  const coverage: EventCoverage = {
    totalInsights: counts.get(e.id)?.insights ?? 0,
    assigned,
    unassigned: authors
      .filter((a) => !assignedIds.has(a.id))
      .map((a) => ({ person: { id: a.id, name: a.name }, insights: Number(a.n) })),
    assignedWithoutInsights: assigned.filter((a) => a.inScope && a.insights === 0).length,
  };
  return {
    ...toListItem(head, counts.get(e.id)),
    latitude: e.latitude,
    longitude: e.longitude,
    timezone: e.timezone,
    champion: e.champion,
    marketer: e.marketer,
    eventUrl: e.eventUrl,
    trackerUrl: e.trackerUrl,
    salesforceUrl: e.salesforceUrl,
    slackChannel: e.slackChannel,
    techStack: e.techStack,
    travelStatus: e.travelStatus as EventDetail['travelStatus'],
    assignments: assignments.map((a) => ({ person: { id: a.id, name: a.name, team: a.team }, role: a.role })),
    sessions,
    coverage,
    latestInsights,
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
