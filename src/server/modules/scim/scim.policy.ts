import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The one place SCIM credential permissions are decided. A SCIM credential provisions and deactivates people and
 * sets their groups, so it is admin-only, from a session (never an API token). Creating one needs an SSO
 * session: break-glass restores service while the IdP is down, it does not hand out provisioning access. Admins
 * in break-glass may still list and revoke (incident response for a leaked credential).
 */
export type ScimCredentialAction = 'read' | 'create' | 'revoke';

export function authorizeScimCredentials(actor: Actor, action: ScimCredentialAction): void {
  if (actor.role !== 'admin' || actor.via === 'token')
    throw new ForbiddenError('Only admins can see or manage SCIM provisioning credentials.');
  if (action === 'create' && actor.via !== 'session')
    throw new ForbiddenError('SCIM credentials are created from an SSO session, not break-glass.');
}
