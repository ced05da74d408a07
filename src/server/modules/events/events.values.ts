import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { EventCreate, EventUpdate } from '../../../contract/api/events.ts';
import type { Db } from '../../db/client.ts';
import { eventAssignments } from '../../db/schema.program.ts';
import type { events } from '../../db/schema.ts';

/**
 * The one mapping between the event contract and the events table, shared by the events API and the PMO
 * import, so an event means the same whichever way it was written. Both validate with the contract's
 * EventCreate first; this file only maps and compares.
 */
export type EventFields = Omit<z.output<typeof EventCreate>, 'assignments'>;
export type EventFieldsPatch = Partial<Omit<z.output<typeof EventUpdate>, 'assignments' | 'version'>>;
export type EventRow = typeof events.$inferSelect;
export type EventColumns = Partial<typeof events.$inferInsert>;
export type Assignment = { personId: string; role: 'on_site' | 'remote' | 'volunteer_travel' };

/** Collapses runs of white space: "  DevDay   Berlin " and "DevDay Berlin" are one event name. */
export const normalizeEventName = (name: string): string => name.trim().replace(/\s+/g, ' ');

/** Slack channel names are stored without the leading '#'. */
const slackChannel = (value: string | null | undefined) =>
  value === undefined || value === null ? value : value.replace(/^#/, '');

/** Contract fields (all or some) → table columns. Fields absent from the input stay absent. */
export function eventColumns(input: EventFieldsPatch): EventColumns {
  const out: EventColumns = {};
  const set = <K extends keyof EventColumns>(key: K, value: EventColumns[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('name', input.name === undefined ? undefined : normalizeEventName(input.name));
  set('eventType', input.eventType);
  set('startsOn', input.startsOn);
  set('endsOn', input.endsOn);
  set('isActive', input.isActive);
  set('quarter', input.quarter);
  set('status', input.status);
  set('engagementType', input.engagementType);
  set('region', input.region);
  set('attendance', input.attendance);
  set('location', input.location);
  set('latitude', input.latitude);
  set('longitude', input.longitude);
  set('timezone', input.timezone);
  set('accountName', input.accountName);
  set('accountSegment', input.accountSegment);
  set('champion', input.champion);
  set('marketer', input.marketer);
  set('eventUrl', input.eventUrl);
  set('trackerUrl', input.trackerUrl);
  set('salesforceUrl', input.salesforceUrl);
  set('slackChannel', slackChannel(input.slackChannel));
  set('techStack', input.techStack);
  set('travelStatus', input.travelStatus);
  set('ownerId', input.ownerId);
  return out;
}

const same = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return (a ?? null) === (b ?? null);
};

/** The columns of `next` that differ from the stored row (the names the audit event lists). */
export function changedColumns(row: EventRow, next: EventColumns): (keyof EventColumns)[] {
  return (Object.keys(next) as (keyof EventColumns)[]).filter((key) => !same(row[key], next[key]));
}

/** Whether a stored assignment list equals the wanted one (order does not matter). */
export function sameAssignments(current: readonly Assignment[], wanted: readonly Assignment[]): boolean {
  if (current.length !== wanted.length) return false;
  const key = (a: Assignment) => `${a.personId}:${a.role}`;
  const have = new Set(current.map(key));
  return wanted.every((a) => have.has(key(a)));
}

export async function loadAssignments(db: Db, eventId: string): Promise<Assignment[]> {
  return db
    .select({ personId: eventAssignments.personId, role: eventAssignments.role })
    .from(eventAssignments)
    .where(eq(eventAssignments.eventId, eventId));
}

/** Replaces the event's assignments with `wanted` (inside the caller's transaction). */
export async function replaceAssignments(
  tx: Db,
  eventId: string,
  wanted: readonly Assignment[],
): Promise<void> {
  await tx.delete(eventAssignments).where(eq(eventAssignments.eventId, eventId));
  if (wanted.length > 0)
    await tx
      .insert(eventAssignments)
      .values(wanted.map((a) => ({ eventId, personId: a.personId, role: a.role })));
}
