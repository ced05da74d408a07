import { eq, or, type SQL } from 'drizzle-orm';
import { savedViews } from '../../db/schema.reporting.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';
import { authorizeInsight } from '../insights/insights.policy.ts';

/**
 * The one place saved-view permissions are decided.
 * - Anyone who reads reporting (viewer and up) lists views and saves their own: a view is a named filter, and
 *   whoever opens it still sees only their own scope, so saving one grants nothing.
 * - A view is visible to its owner, and to every signed-in reader once its owner shared it
 *   (`savedViewReadScope`, in the SQL). Someone else's private view does not exist for you: 404, admins
 *   included (a private view is personal; nobody moderates what only its owner sees).
 * - Only the owner edits or deletes a view; an admin may also edit or delete a shared one (what everybody is
 *   offered). Anyone else who can see a shared view gets 403.
 */
export function authorizeSavedViews(actor: Actor): void {
  authorizeInsight(actor, 'read');
}

export function savedViewReadScope(actor: Actor): SQL {
  return or(eq(savedViews.ownerId, actor.personId), eq(savedViews.shared, true)) as SQL;
}

/** Called with a view already found inside `savedViewReadScope`. */
export function authorizeSavedViewChange(actor: Actor, view: { ownerId: string; shared: boolean }): void {
  if (view.ownerId === actor.personId) return;
  if (actor.role === 'admin' && view.shared) return;
  throw new ForbiddenError('Only the owner of a saved view (or an admin, for a shared one) can change it.');
}
