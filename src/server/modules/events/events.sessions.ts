import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { EventSession, SessionCreate, SessionUpdate } from '../../../contract/api/events.ts';
import type { Db } from '../../db/client.ts';
import { eventSessions } from '../../db/schema.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { sessionReferences, translated } from './events.checks.ts';
import { sessionInsightCounts, toSession } from './events.detail.ts';
import { authorizeEvent } from './events.policy.ts';
import type { EventDeps } from './events.service.ts';
import { loadManageable, staleVersion } from './events.write.ts';

type CreateInput = z.output<typeof SessionCreate>;
type UpdateInput = z.output<typeof SessionUpdate>;
type SessionRow = typeof eventSessions.$inferSelect;
type SessionColumns = Partial<Omit<typeof eventSessions.$inferInsert, 'id' | 'eventId' | 'version'>>;

/**
 * Sessions of an event: whoever may manage the event manages its sessions. Each write locks the event row
 * (weakly: captures linking to it are not blocked) so a session is never added to an event being deleted.
 */

const instant = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

/** Contract fields → columns; fields absent from the input stay absent. */
function sessionColumns(input: Omit<UpdateInput, 'version'>): SessionColumns {
  const out: SessionColumns = {};
  const entries: [keyof SessionColumns, unknown][] = [
    ['title', input.title],
    ['speaker', input.speaker],
    ['room', input.room],
    ['startsAt', instant(input.startsAt)],
    ['endsAt', instant(input.endsAt)],
    ['audienceSize', input.audienceSize],
    ['commonQuestions', input.commonQuestions],
    ['resonantDemos', input.resonantDemos],
    ['engagementNotes', input.engagementNotes],
  ];
  for (const [key, value] of entries) if (value !== undefined) Object.assign(out, { [key]: value });
  return out;
}

const same = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : (a ?? null) === (b ?? null);

async function findSession(tx: Db, eventId: string, sessionId: string): Promise<SessionRow> {
  const [row] = await tx
    .select()
    .from(eventSessions)
    .where(and(eq(eventSessions.id, sessionId), eq(eventSessions.eventId, eventId)))
    .for('update');
  if (!row) throw new NotFoundError('session of this event');
  return row;
}

/** POST /api/v1/events/:id/sessions. */
export async function createSession(
  deps: EventDeps,
  ctx: RequestContext,
  eventId: string,
  input: CreateInput,
): Promise<EventSession> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'manage');
  return translated(() =>
    deps.db.transaction(async (tx) => {
      await loadManageable(tx, actor, eventId, 'no key update');
      const now = deps.now();
      const [row] = await tx
        .insert(eventSessions)
        .values({ ...sessionColumns(input), title: input.title, eventId, createdAt: now, updatedAt: now })
        .returning();
      if (!row) throw new Error('insert returned no row');
      await audit(tx, ctx, {
        action: 'event_session.created',
        targetId: row.id,
        details: { eventId, title: row.title },
      });
      return toSession(row, 0);
    }),
  );
}

/**
 * PATCH /api/v1/events/:id/sessions/:sessionId: a partial edit from `version` (stale → 409); times sent alone
 * are checked against the stored other one (400 naming endsAt). A session of another event is 404.
 */
export async function updateSession(
  deps: EventDeps,
  ctx: RequestContext,
  ids: { id: string; sessionId: string },
  input: UpdateInput,
): Promise<EventSession> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'manage');
  const { version, ...fields } = input;
  const next = sessionColumns(fields);
  return translated(() =>
    deps.db.transaction(async (tx) => {
      await loadManageable(tx, actor, ids.id, 'no key update');
      const row = await findSession(tx, ids.id, ids.sessionId);
      if (row.version !== version) throw staleVersion('session', row.version, version);
      const startsAt = next.startsAt !== undefined ? next.startsAt : row.startsAt;
      const endsAt = next.endsAt !== undefined ? next.endsAt : row.endsAt;
      if (startsAt && endsAt && endsAt.getTime() < startsAt.getTime())
        throw new ValidationError('The session would end before it starts.', [
          { field: 'body.endsAt', message: `must be at or after startsAt (${startsAt.toISOString()})` },
        ]);
      const changed = (Object.keys(next) as (keyof SessionColumns)[]).filter(
        (key) => !same(row[key], next[key]),
      );
      let stored = row;
      if (changed.length > 0) {
        const patch: SessionColumns = {};
        for (const key of changed) Object.assign(patch, { [key]: next[key] });
        const [updated] = await tx
          .update(eventSessions)
          .set({ ...patch, version: row.version + 1, updatedAt: deps.now() })
          .where(and(eq(eventSessions.id, row.id), eq(eventSessions.version, version)))
          .returning();
        if (!updated) throw staleVersion('session', row.version + 1, version);
        stored = updated;
        await audit(tx, ctx, {
          action: 'event_session.updated',
          targetId: row.id,
          details: { eventId: ids.id, fromVersion: version, toVersion: version + 1, changed },
        });
      }
      const counts = await sessionInsightCounts(tx, actor, [row.id]);
      return toSession(stored, counts.get(row.id) ?? 0);
    }),
  );
}

/** DELETE /api/v1/events/:id/sessions/:sessionId: only while no insight refers to it (409). */
export async function deleteSession(
  deps: EventDeps,
  ctx: RequestContext,
  ids: { id: string; sessionId: string },
): Promise<void> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'manage');
  await translated(() =>
    deps.db.transaction(async (tx) => {
      await loadManageable(tx, actor, ids.id, 'no key update');
      const row = await findSession(tx, ids.id, ids.sessionId);
      if ((await sessionReferences(tx, row.id)) > 0)
        throw new ConflictError(
          'This session cannot be removed: insights are linked to it. Keep it, or rename it if it changed.',
        );
      await tx.delete(eventSessions).where(eq(eventSessions.id, row.id));
      await audit(tx, ctx, {
        action: 'event_session.deleted',
        targetId: row.id,
        details: { eventId: ids.id, title: row.title },
      });
    }),
  );
}
