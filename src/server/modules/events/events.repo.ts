import { and, asc, count, desc, eq, ilike, inArray, not, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { EventListItem, EventListQuery, EventSummary } from '../../../contract/api/events.ts';
import type { Db } from '../../db/client.ts';
import { eventAssignments } from '../../db/schema.program.ts';
import { eventSessions, events, insights, people } from '../../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import { reportableScope } from '../insights/insights.filter.ts';
import type { EventKeyset, EventSort } from './events.cursor.ts';
import { eventManageScope } from './events.policy.ts';
import type { EventRow } from './events.values.ts';

/**
 * Reads of the event calendar. Every signed-in role reads events (they carry no insight data); what differs per
 * caller is computed in SQL: whether they may manage each row (`eventManageScope`) and how many linked insights
 * they may see (`reportableScope`: their insight scope, merged duplicates left out).
 */

export type ListFilter = Omit<z.output<typeof EventListQuery>, 'limit' | 'cursor' | 'sort'>;
export interface EventCounts {
  sessions: number;
  assigned: number;
  insights: number;
}
export interface EventHead {
  event: EventRow;
  ownerName: string | null;
  canManage: boolean;
  sortName: string;
}

const owner = alias(people, 'event_owner');

/** `%text%` for ILIKE, with the pattern characters of the text itself taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const assignedSql = (personId: string): SQL =>
  sql`exists (select 1 from ${eventAssignments} where ${eventAssignments.eventId} = ${events.id} and ${eventAssignments.personId} = ${personId})`;

function headColumns(actor: Actor) {
  return {
    event: events,
    ownerName: owner.displayName,
    canManage: sql<boolean>`(${eventManageScope(actor)})`.mapWith(Boolean),
    sortName: sql<string>`lower(${events.name})`,
  };
}

export function listConditions(actor: Actor, f: ListFilter): SQL[] {
  const where: SQL[] = [];
  if (f.q) {
    const pattern = containsPattern(f.q);
    where.push(
      or(
        ilike(events.name, pattern),
        ilike(events.location, pattern),
        ilike(events.accountName, pattern),
      ) as SQL,
    );
  }
  if (f.status) where.push(eq(events.status, f.status));
  if (f.region) where.push(eq(events.region, f.region));
  if (f.eventType) where.push(eq(events.eventType, f.eventType));
  if (f.quarter) where.push(eq(events.quarter, f.quarter));
  if (f.active !== undefined) where.push(eq(events.isActive, f.active));
  if (f.from) where.push(sql`${events.endsOn} >= ${f.from}::date`);
  if (f.to) where.push(sql`${events.startsOn} <= ${f.to}::date`);
  if (f.assignedTo) where.push(assignedSql(f.assignedTo === 'me' ? actor.personId : f.assignedTo));
  // manageable=false is the complement: the events the caller reads but may not edit.
  if (f.manageable === true) where.push(eventManageScope(actor));
  if (f.manageable === false) where.push(not(eventManageScope(actor)));
  return where;
}

function keysetOrder(sort: EventSort, after: EventKeyset | null): { order: SQL[]; after: SQL | undefined } {
  if (sort === 'name') {
    const key = sql`lower(${events.name})`;
    return {
      order: [asc(key), asc(events.id)],
      after: after ? sql`(${key}, ${events.id}) > (${after.key}, ${after.id}::uuid)` : undefined,
    };
  }
  if (sort === 'starts_asc')
    return {
      order: [asc(events.startsOn), asc(events.id)],
      after: after
        ? sql`(${events.startsOn}, ${events.id}) > (${after.key}::date, ${after.id}::uuid)`
        : undefined,
    };
  return {
    order: [desc(events.startsOn), desc(events.id)],
    after: after
      ? sql`(${events.startsOn}, ${events.id}) < (${after.key}::date, ${after.id}::uuid)`
      : undefined,
  };
}

/** One keyset page of events (one extra row tells whether more exist). */
export async function pageEvents(
  db: Db,
  actor: Actor,
  page: { where: SQL[]; sort: EventSort; after: EventKeyset | null; limit: number },
): Promise<EventHead[]> {
  const { order, after } = keysetOrder(page.sort, page.after);
  return db
    .select(headColumns(actor))
    .from(events)
    .leftJoin(owner, eq(owner.id, events.ownerId))
    .where(and(...page.where, after))
    .orderBy(...order)
    .limit(page.limit + 1);
}

/** One event as the caller sees it (null when it does not exist). `lock` holds it until the transaction ends. */
export async function findEventHead(
  db: Db,
  actor: Actor,
  id: string,
  lock: 'update' | 'no key update' | null = null,
): Promise<EventHead | null> {
  const query = db
    .select(headColumns(actor))
    .from(events)
    .leftJoin(owner, eq(owner.id, events.ownerId))
    .where(eq(events.id, id))
    .limit(1);
  const [row] = lock ? await query.for(lock, { of: events }) : await query;
  return row ?? null;
}

/** Sessions, assignments and in-scope insights per event, three grouped queries for the whole page. */
export async function countsFor(db: Db, actor: Actor, ids: string[]): Promise<Map<string, EventCounts>> {
  const out = new Map<string, EventCounts>(ids.map((id) => [id, { sessions: 0, assigned: 0, insights: 0 }]));
  if (ids.length === 0) return out;
  const sessions = await db
    .select({ id: eventSessions.eventId, n: count() })
    .from(eventSessions)
    .where(inArray(eventSessions.eventId, ids))
    .groupBy(eventSessions.eventId);
  const assigned = await db
    .select({ id: eventAssignments.eventId, n: count() })
    .from(eventAssignments)
    .where(inArray(eventAssignments.eventId, ids))
    .groupBy(eventAssignments.eventId);
  const linked = await db
    .select({ id: insights.eventId, n: count() })
    .from(insights)
    .where(and(inArray(insights.eventId, ids), reportableScope(actor)))
    .groupBy(insights.eventId);
  for (const r of sessions) {
    const c = out.get(r.id);
    if (c) c.sessions = Number(r.n);
  }
  for (const r of assigned) {
    const c = out.get(r.id);
    if (c) c.assigned = Number(r.n);
  }
  for (const r of linked) {
    const c = r.id ? out.get(r.id) : undefined;
    if (c) c.insights = Number(r.n);
  }
  return out;
}

export function toListItem(head: EventHead, counts: EventCounts | undefined): EventListItem {
  const e = head.event;
  return {
    id: e.id,
    name: e.name,
    quarter: e.quarter,
    status: e.status as EventListItem['status'],
    eventType: e.eventType as EventListItem['eventType'],
    engagementType: e.engagementType as EventListItem['engagementType'],
    region: e.region as EventListItem['region'],
    attendance: e.attendance as EventListItem['attendance'],
    location: e.location,
    startsOn: e.startsOn,
    endsOn: e.endsOn,
    isActive: e.isActive,
    accountName: e.accountName,
    accountSegment: e.accountSegment as EventListItem['accountSegment'],
    owner: e.ownerId && head.ownerName !== null ? { id: e.ownerId, name: head.ownerName } : null,
    sessionCount: counts?.sessions ?? 0,
    assignedCount: counts?.assigned ?? 0,
    insightCount: counts?.insights ?? 0,
    canManage: head.canManage,
  };
}

/** The capture picker: active events, the caller's assignments first, then by start; sessions in one query. */
export async function pickerEvents(db: Db, personId: string): Promise<EventSummary[]> {
  const assignedToMe = sql<boolean>`${assignedSql(personId)}`.mapWith(Boolean);
  const rows = await db
    .select({
      id: events.id,
      name: events.name,
      eventType: events.eventType,
      region: events.region,
      location: events.location,
      startsOn: events.startsOn,
      endsOn: events.endsOn,
      isActive: events.isActive,
      assignedToMe,
    })
    .from(events)
    .where(eq(events.isActive, true))
    .orderBy(desc(assignedSql(personId)), asc(events.startsOn), asc(events.name), asc(events.id));
  if (rows.length === 0) return [];
  const sessions = await db
    .select({
      id: eventSessions.id,
      eventId: eventSessions.eventId,
      title: eventSessions.title,
      speaker: eventSessions.speaker,
      room: eventSessions.room,
      startsAt: eventSessions.startsAt,
    })
    .from(eventSessions)
    .where(
      inArray(
        eventSessions.eventId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.title), asc(eventSessions.id));
  return rows.map((e) => ({
    ...e,
    eventType: e.eventType as EventSummary['eventType'],
    region: e.region as EventSummary['region'],
    sessions: sessions
      .filter((s) => s.eventId === e.id)
      .map((s) => ({
        id: s.id,
        title: s.title,
        speaker: s.speaker,
        room: s.room,
        startsAt: s.startsAt ? s.startsAt.toISOString() : null,
      })),
  }));
}

/** Filter drop-downs: id, name and start day, newest first, optionally searched by name. */
export async function eventOptions(db: Db, q: string | undefined, limit: number) {
  return db
    .select({ id: events.id, name: events.name, startsOn: events.startsOn })
    .from(events)
    .where(q ? ilike(events.name, containsPattern(q)) : undefined)
    .orderBy(desc(events.startsOn), asc(events.name), asc(events.id))
    .limit(limit);
}
