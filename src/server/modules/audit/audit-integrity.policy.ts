import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * Who may see the audit log's integrity, verify it and export it: admins, in a signed-in session. The export holds
 * every event (IP addresses, user agents, who did what), so API tokens never read it (the routes are
 * session-only as well). Other roles get 403: the pages exist, their role cannot use them.
 */
export function authorizeAuditIntegrity(actor: Actor): void {
  if (actor.via === 'token') throw new ForbiddenError('The audit log is not available to API tokens.');
  if (actor.role !== 'admin')
    throw new ForbiddenError("Only admins can see, verify or export the audit log's integrity records.");
}
