import type { SQL } from 'drizzle-orm';
import { and, isNotNull, sql } from 'drizzle-orm';
import { atLeast } from '../../../contract/roles.ts';
import { events } from '../../db/schema.ts';
import { ForbiddenError } from '../../errors.ts';
import { personInScope } from '../access/scope.sql.ts';
import type { Actor } from '../identity/actor.ts';

export type EventAction = 'read' | 'create' | 'manage' | 'import';

/**
 * The one place event permissions are decided.
 *
 * - Every signed-in role reads the event calendar (it carries no insight data; advocates need it for the
 *   capture picker). Counts of linked insights inside it are always limited to the reader's insight scope.
 * - Managers and admins create, edit, delete and import events. Which events: admins all; a manager those
 *   whose owner is in their reporting scope (themselves included) — `eventManageScope` in SQL, so a list,
 *   an edit and an import row all apply the same rule. An event without an owner is managed by admins only.
 * - An event the caller may read but not manage answers 403 on a write (it is visible, so 404 would lie).
 * - A manager may make only people in their own scope the owner of an event.
 */
export function authorizeEvent(actor: Actor, action: EventAction): void {
  if (action === 'read') return;
  if (atLeast(actor.role, 'manager')) return;
  throw new ForbiddenError(`Your role (${actor.role}) cannot ${action} events.`);
}

/** SQL: the events this actor may manage (true for admins). */
export function eventManageScope(actor: Actor): SQL {
  if (actor.role === 'admin') return sql`true`;
  if (!atLeast(actor.role, 'manager')) return sql`false`;
  return and(isNotNull(events.ownerId), personInScope(events.ownerId, actor)) as SQL;
}
