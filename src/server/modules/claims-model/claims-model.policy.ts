import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The trusted-claims model is security configuration: admins only, never by API token. Changing or approving
 * it needs an SSO session: break-glass exists to restore service while the IdP is down, not to change whom
 * the app trusts.
 */
export function authorizeClaimsModel(actor: Actor, action: 'read' | 'change' | 'approve'): void {
  if (actor.role !== 'admin' || actor.via === 'token') {
    throw new ForbiddenError('Only admins can see or change the trusted-claims model.');
  }
  if (action !== 'read' && actor.via !== 'session') {
    throw new ForbiddenError(
      'The trusted-claims model is changed and approved from an SSO session, not break-glass.',
    );
  }
}
