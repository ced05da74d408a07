import { and, count, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { FieldError } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { feedbackForms } from '../../db/schema.program.ts';
import { eventSessions, events, insights, people } from '../../db/schema.ts';
import { AppError, ConflictError, ValidationError } from '../../errors.ts';
import { personInScope } from '../access/scope.sql.ts';
import type { Actor } from '../identity/actor.ts';
import type { Assignment } from './events.values.ts';

/**
 * The checks an event write makes against stored data (the contract's zod schemas already checked the shape),
 * and the translation of the database's own refusals into problems, so a race the checks could not see is
 * still a 400 or 409 naming the field, never a 500.
 */

const ACTIVE = 'must be an active person (not deactivated)';

/**
 * The accountable owner. Any active person for an admin; a manager only someone in their reporting scope
 * (themselves included), and never nobody: an event without an owner is managed by admins only, so a manager
 * who cleared the owner would lock themselves out of their own event.
 */
export async function checkOwner(db: Db, actor: Actor, ownerId: string | null): Promise<void> {
  const field = 'body.ownerId';
  if (ownerId === null) {
    if (actor.role === 'admin') return;
    throw new AppError(403, 'Forbidden', 'Only an admin may leave an event without an owner.', [
      { field, message: 'must be a person in your reporting scope (only admins may clear it)' },
    ]);
  }
  const [row] = await db
    .select({
      status: people.status,
      inScope: sql<boolean>`(${personInScope(people.id, actor)})`.mapWith(Boolean),
    })
    .from(people)
    .where(eq(people.id, ownerId))
    .limit(1);
  if (!row || row.status === 'deactivated')
    throw new ValidationError('The owner must be an active person.', [{ field, message: ACTIVE }]);
  if (actor.role !== 'admin' && !row.inScope)
    throw new AppError(403, 'Forbidden', 'You may only make someone in your reporting scope the owner.', [
      { field, message: 'must be a person in your reporting scope' },
    ]);
}

/** Every assigned person must exist and be active: 400 naming `body.assignments.<i>.personId`. */
export async function checkAssignees(db: Db, wanted: readonly Assignment[]): Promise<void> {
  if (wanted.length === 0) return;
  const rows = await db
    .select({ id: people.id, status: people.status })
    .from(people)
    .where(
      inArray(
        people.id,
        wanted.map((a) => a.personId),
      ),
    );
  const status = new Map(rows.map((r) => [r.id, r.status]));
  const errors: FieldError[] = [];
  for (const [i, a] of wanted.entries()) {
    const s = status.get(a.personId);
    if (s === undefined || s === 'deactivated')
      errors.push({ field: `body.assignments.${i}.personId`, message: ACTIVE });
  }
  if (errors.length > 0) throw new ValidationError('Every assigned person must be an active person.', errors);
}

export const nameInUse = (name: string, startsOn: string) =>
  new ConflictError(
    `An event named "${name}" already starts on ${startsOn} (names are compared ignoring case and spacing). ` +
      'Open that event, or choose another name.',
    { errors: [{ field: 'body.name', message: 'is already used by an event starting the same day' }] },
  );

/** Whether another event already has this (normalised) name and start day, ignoring case. */
export async function nameTaken(db: Db, name: string, startsOn: string, exceptId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        sql`lower(${events.name}) = lower(${name})`,
        eq(events.startsOn, startsOn),
        exceptId ? ne(events.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Whether any insight (whoever's) or feedback form still points at the event or one of its sessions. */
export async function eventReferences(db: Db, eventId: string) {
  const sessionsOfEvent = sql`(select ${eventSessions.id} from ${eventSessions} where ${eventSessions.eventId} = ${eventId})`;
  const [linked] = await db
    .select({ n: count() })
    .from(insights)
    .where(or(eq(insights.eventId, eventId), sql`${insights.sessionId} in ${sessionsOfEvent}`));
  const [forms] = await db
    .select({ n: count() })
    .from(feedbackForms)
    .where(eq(feedbackForms.eventId, eventId));
  return { insights: Number(linked?.n ?? 0), forms: Number(forms?.n ?? 0) };
}

export async function sessionReferences(db: Db, sessionId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(insights).where(eq(insights.sessionId, sessionId));
  return Number(row?.n ?? 0);
}

const CHECKS: Record<string, FieldError> = {
  events_dates_ck: { field: 'body.endsOn', message: 'must be on or after startsOn' },
  events_geo_ck: { field: 'body.latitude', message: 'must be a valid latitude / longitude' },
  event_sessions_audience_ck: { field: 'body.audienceSize', message: 'must be 0 or more' },
};

/**
 * The database refused a write (PostgreSQL error codes, however deep the driver wrapped them): the problem to
 * answer instead, or null for anything else (which stays a 500).
 */
export function databaseProblem(err: unknown, name: NameKey): AppError | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth += 1) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505' && constraint === 'events_name_start_uq' && name)
      return nameInUse(name.name, name.startsOn);
    if (code === '23505') return new ConflictError('This record already exists.');
    if (code === '23503')
      return new ConflictError(
        'Something else still refers to this record, or a person it names no longer exists. Reload and try again.',
      );
    if (code === '23514') {
      const known = typeof constraint === 'string' ? CHECKS[constraint] : undefined;
      return new ValidationError('A value is out of range.', [
        known ?? { field: 'body', message: 'has a value outside the allowed range' },
      ]);
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

type NameKey = { name: string; startsOn: string } | null;

/** Runs a write, turning the database's refusals into problems (`name`: the event's key, once known). */
export async function translated<T>(write: () => Promise<T>, name: () => NameKey = () => null): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw databaseProblem(err, name()) ?? err;
  }
}
