import { ForbiddenError, NotFoundError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The one place access-review permissions are decided.
 *
 * - Admins start and close campaigns, read every campaign and item, download reports and handle removal
 *   requests. Starting, closing and resolving need an SSO session (step-up enforced by the routes); an
 *   emergency break-glass session restores service, it does not run access governance.
 * - A reviewer (anyone with an SSO session) sees the campaigns they review in, only their own items there, and
 *   decides only their own items. Someone else's item, or a campaign they do not review in, answers 404.
 * - Admins may decide any item, except one where they are the subject: nobody reviews their own access.
 * - API tokens never reach these routes (they are `auth: 'session'`); the check here is defence in depth.
 */
export type ReviewAction = 'administer' | 'read_all' | 'read_own' | 'review';

export function authorizeReviews(actor: Actor, action: ReviewAction): void {
  if (actor.via === 'token') throw new ForbiddenError('API tokens cannot take part in access reviews.');
  if (action === 'read_own') return;
  if (action === 'review') {
    if (actor.via !== 'session')
      throw new ForbiddenError('Access reviews are decided from an SSO session, not break-glass.');
    return;
  }
  if (actor.role !== 'admin') throw new ForbiddenError('Only admins can administer access reviews.');
  if (action === 'administer' && actor.via !== 'session')
    throw new ForbiddenError('Access reviews are administered from an SSO session, not break-glass.');
}

export const isAdmin = (actor: Actor) => actor.role === 'admin';

/** Whether the actor may see this item: its reviewer, or an admin. */
export function canSeeItem(actor: Actor, item: { reviewerId: string }): boolean {
  return isAdmin(actor) || item.reviewerId === actor.personId;
}

/** Deciding: the reviewer or an admin (404 for anyone else), never the subject (403). */
export function authorizeDecision(actor: Actor, item: { reviewerId: string; subjectId: string }): void {
  authorizeReviews(actor, 'review');
  if (!canSeeItem(actor, item)) throw new NotFoundError('access review item');
  if (item.subjectId === actor.personId)
    throw new ForbiddenError('Nobody reviews their own access: another reviewer or admin decides this item.');
}
