import { eq, type SQL, sql } from 'drizzle-orm';
import { eventImports } from '../../db/schema.program.ts';
import { ForbiddenError } from '../../errors.ts';
import { authorizeEvent } from '../events/events.policy.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The one place PMO import permissions are decided.
 * - Managers and admins import events (`authorizeEvent(actor, 'import')`); which rows they may then create or
 *   update is the events rule (`eventManageScope`), applied row by row by the planner.
 * - An import is visible to the person who made it and to admins (`importReadScope`, in the SQL); anyone
 *   else's import does not exist for you (404).
 * - Learned column aliases are listed to everyone who imports (they decide how the next file is read) and
 *   forgotten by admins only.
 */
export function authorizeImports(actor: Actor): void {
  authorizeEvent(actor, 'import');
}

export function importReadScope(actor: Actor): SQL {
  return actor.role === 'admin' ? sql`true` : eq(eventImports.actorId, actor.personId);
}

export function authorizeAliasDelete(actor: Actor): void {
  if (actor.role !== 'admin')
    throw new ForbiddenError(`Your role (${actor.role}) cannot forget learned column aliases; an admin can.`);
}
