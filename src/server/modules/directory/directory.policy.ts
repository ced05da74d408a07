import { type SQL, sql } from 'drizzle-orm';
import { people } from '../../db/schema.ts';
import { ForbiddenError } from '../../errors.ts';
import { personInScope } from '../access/scope.sql.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The one place directory permissions are decided.
 *
 * - Org administration (HR imports, source settings and freshness, hierarchy issues, conflicts between
 *   sources): admins only. The routes are session-only, so an API token never reaches them; state changes
 *   that alter who has access (applying an import, source settings) also need a fresh step-up.
 * - People with their effective access: admins see everyone; managers see the people in their reporting
 *   scope (applied in SQL: someone outside it answers 404); advocates and viewers are refused (403) — a
 *   viewer's org-wide scope is for reading reporting, not the directory.
 */
export type DirectoryAction = 'administer' | 'read_people';

export function authorizeDirectory(actor: Actor, action: DirectoryAction): void {
  if (actor.role === 'admin') return;
  if (action === 'read_people' && actor.role === 'manager') return;
  throw new ForbiddenError(
    action === 'administer'
      ? 'Only admins can administer the org sources and directory.'
      : 'Only managers and admins can see people and their access.',
  );
}

/** The people an actor may see in the directory, as a condition on people.id. */
export function peopleReadScope(actor: Actor): SQL {
  if (actor.role === 'admin') return sql`true`;
  return personInScope(people.id, actor);
}
