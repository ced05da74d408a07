import { asc, eq, inArray } from 'drizzle-orm';
import type { EventSummary } from '../../../contract/api/events.ts';
import type { Db } from '../../db/client.ts';
import { eventSessions, events } from '../../db/schema.ts';

/** Events with their sessions in two queries (never one query per event). */
export async function listEvents(db: Db, filter: { active?: boolean | undefined }): Promise<EventSummary[]> {
  const rows = await db
    .select()
    .from(events)
    .where(filter.active === undefined ? undefined : eq(events.isActive, filter.active))
    .orderBy(asc(events.startsOn), asc(events.name));
  if (rows.length === 0) return [];
  const sessions = await db
    .select()
    .from(eventSessions)
    .where(
      inArray(
        eventSessions.eventId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(eventSessions.startsAt), asc(eventSessions.title));
  return rows.map((e) => ({
    id: e.id,
    name: e.name,
    eventType: e.eventType as EventSummary['eventType'],
    region: e.region as EventSummary['region'],
    location: e.location,
    startsOn: e.startsOn,
    endsOn: e.endsOn,
    isActive: e.isActive,
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
