import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { EventCreate, EventDetail, EventUpdate } from '../../../contract/api/events.ts';
import type { Db } from '../../db/client.ts';
import { events } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import {
  checkAssignees,
  checkOwner,
  eventReferences,
  nameInUse,
  nameTaken,
  translated,
} from './events.checks.ts';
import { authorizeEvent } from './events.policy.ts';
import { type EventHead, findEventHead } from './events.repo.ts';
import { type EventDeps, readEventDetail } from './events.service.ts';
import {
  changedColumns,
  type EventColumns,
  eventColumns,
  loadAssignments,
  normalizeEventName,
  replaceAssignments,
  sameAssignments,
} from './events.values.ts';

type CreateInput = z.output<typeof EventCreate>;
type UpdateInput = z.output<typeof EventUpdate>;

/**
 * The event in a write: it must exist (404) and the caller must be allowed to manage it (403: it is visible to
 * every signed-in role, so 404 would lie). `lock` holds the row until the transaction ends, serializing every
 * write to one event (its sessions' writes take the weaker lock, so they never block captures linking to it).
 */
export async function loadManageable(
  tx: Db,
  actor: Actor,
  id: string,
  lock: 'update' | 'no key update',
): Promise<EventHead> {
  const head = await findEventHead(tx, actor, id, lock);
  if (!head) throw new NotFoundError('event');
  if (!head.canManage)
    throw new ForbiddenError(
      head.event.ownerId === null
        ? 'You can read this event but not manage it: it has no owner, so only admins manage it.'
        : 'You can read this event but not manage it: its owner is outside your reporting scope.',
    );
  return head;
}

/** 409 naming the version the edit started from and the current one, so the client can reload and retry. */
export function staleVersion(what: string, current: number, sent: number): ConflictError {
  return new ConflictError(
    `This ${what} was changed since version ${sent}; it is now at version ${current}. Reload it, reapply ` +
      `your change and send it again with version ${current}.`,
    { errors: [{ field: 'body.version', message: `is ${sent}; the current version is ${current}` }] },
  );
}

/**
 * POST /api/v1/events: managers and admins. The owner defaults to the creator; assignments name active people.
 * The event, its assignments and its audit event commit together.
 */
export async function createEvent(
  deps: EventDeps,
  ctx: RequestContext,
  input: CreateInput,
): Promise<EventDetail> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'create');
  const { assignments = [], ...fields } = input;
  const name = normalizeEventName(input.name);
  const ownerId = input.ownerId === undefined ? actor.personId : input.ownerId;
  const key = { name, startsOn: input.startsOn };
  const id = await translated(
    () =>
      deps.db.transaction(async (tx) => {
        await checkOwner(tx, actor, ownerId);
        await checkAssignees(tx, assignments);
        if (await nameTaken(tx, name, input.startsOn)) throw nameInUse(name, input.startsOn);
        const now = deps.now();
        const [row] = await tx
          .insert(events)
          .values({
            ...eventColumns(fields),
            name,
            eventType: input.eventType,
            startsOn: input.startsOn,
            endsOn: input.endsOn,
            ownerId,
            createdBy: actor.personId,
            updatedBy: actor.personId,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: events.id });
        if (!row) throw new Error('insert returned no row');
        await replaceAssignments(tx, row.id, assignments);
        await audit(tx, ctx, {
          action: 'event.created',
          targetId: row.id,
          details: { name, startsOn: input.startsOn, ownerId },
        });
        return row.id;
      }),
    () => key,
  );
  return readEventDetail(deps.db, actor, id);
}

/**
 * PATCH /api/v1/events/:id: a partial edit from `version` (stale → 409). Dates sent alone are checked against
 * the stored other date (400 naming endsOn). Only what differs is written; an edit that changes nothing is
 * answered with the event as it is, with no new version and no audit event.
 */
export async function updateEvent(
  deps: EventDeps,
  ctx: RequestContext,
  id: string,
  input: UpdateInput,
): Promise<EventDetail> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'manage');
  const { version, assignments, ...fields } = input;
  const next = eventColumns(fields);
  let key: { name: string; startsOn: string } | null = null;
  await translated(
    () =>
      deps.db.transaction(async (tx) => {
        const { event: row } = await loadManageable(tx, actor, id, 'update');
        if (row.version !== version) throw staleVersion('event', row.version, version);
        const startsOn = next.startsOn ?? row.startsOn;
        const endsOn = next.endsOn ?? row.endsOn;
        if (endsOn < startsOn)
          throw new ValidationError('The event would end before it starts.', [
            { field: 'body.endsOn', message: `must be on or after startsOn (${startsOn})` },
          ]);
        const changed: string[] = changedColumns(row, next);
        if (changed.includes('ownerId')) await checkOwner(tx, actor, next.ownerId ?? null);
        let newAssignments = false;
        if (assignments !== undefined && !sameAssignments(await loadAssignments(tx, id), assignments)) {
          await checkAssignees(tx, assignments);
          newAssignments = true;
        }
        key = { name: next.name ?? row.name, startsOn };
        if (
          (changed.includes('name') || changed.includes('startsOn')) &&
          (await nameTaken(tx, key.name, startsOn, id))
        )
          throw nameInUse(key.name, startsOn);
        if (changed.length === 0 && !newAssignments) return;
        const patch: EventColumns = {};
        for (const column of changed as (keyof EventColumns)[])
          Object.assign(patch, { [column]: next[column] });
        await tx
          .update(events)
          .set({ ...patch, version: row.version + 1, updatedAt: deps.now(), updatedBy: actor.personId })
          .where(and(eq(events.id, id), eq(events.version, version)));
        if (newAssignments && assignments) await replaceAssignments(tx, id, assignments);
        await audit(tx, ctx, {
          action: 'event.updated',
          targetId: id,
          details: {
            fromVersion: version,
            toVersion: version + 1,
            changed: newAssignments ? [...changed, 'assignments'] : changed,
          },
        });
      }),
    () => key,
  );
  return readEventDetail(deps.db, actor, id);
}

/**
 * DELETE /api/v1/events/:id: only while nothing refers to it. Insights and feedback forms keep their link to
 * the event, so one that has them is set inactive or cancelled instead (409 says so). Sessions and assignments
 * go with it; one audit event.
 */
export async function deleteEvent(deps: EventDeps, ctx: RequestContext, id: string): Promise<void> {
  const actor = requireActor(ctx);
  authorizeEvent(actor, 'manage');
  await translated(() =>
    deps.db.transaction(async (tx) => {
      const { event: row } = await loadManageable(tx, actor, id, 'update');
      const refs = await eventReferences(tx, id);
      if (refs.insights > 0 || refs.forms > 0) {
        const what = [refs.insights > 0 ? 'insights' : null, refs.forms > 0 ? 'feedback forms' : null]
          .filter(Boolean)
          .join(' and ');
        throw new ConflictError(
          `This event cannot be deleted: ${what} are linked to it. Set it inactive (so it leaves the capture ` +
            'picker) or set its status to cancelled instead.',
        );
      }
      await tx.delete(events).where(eq(events.id, id));
      await audit(tx, ctx, {
        action: 'event.deleted',
        targetId: id,
        details: { name: row.name, startsOn: row.startsOn },
      });
    }),
  );
}
