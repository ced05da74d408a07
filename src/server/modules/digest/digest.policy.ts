import { atLeast } from '../../../contract/roles.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The one place digest permissions are decided: managers and admins preview and send (with their own scope), see
 * the runs and the schedule. Posting to a team channel is a person's act, so API tokens never do it (the routes
 * are session-only as well).
 */
export function authorizeDigest(actor: Actor): void {
  if (actor.via === 'token') throw new ForbiddenError('The Slack digest is not available to API tokens.');
  if (!atLeast(actor.role, 'manager'))
    throw new ForbiddenError('Only managers and admins can preview or send the Slack digest.');
}
