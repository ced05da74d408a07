import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

export type AuditReadAction = 'search' | 'catalog' | 'person_history';

/**
 * The one place audit-log reading is decided: admins only, by session (the routes refuse API tokens). Like the
 * other admin pages (bug reports, the directory's org administration), another role answers 403 — a role
 * refusal, not a record outside one's scope — and that refusal is itself recorded as `access.denied`. Reading is
 * not audited: the request log line names the actor, the route and the status.
 */
export function authorizeAuditRead(actor: Actor, _action: AuditReadAction): void {
  if (actor.role === 'admin') return;
  throw new ForbiddenError('Only admins can read the audit log.');
}
