import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/** The trusted-claims model is security configuration: admins only, by session (never an API token). */
export function authorizeClaimsModel(actor: Actor, _action: 'read' | 'change' | 'approve'): void {
  if (actor.role !== 'admin' || actor.via === 'token') {
    throw new ForbiddenError('Only admins can see or change the trusted-claims model.');
  }
}
