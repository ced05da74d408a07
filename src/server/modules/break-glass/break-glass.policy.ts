import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

export type BreakGlassAction = 'read' | 'decide' | 'review';

/** At most this many principals are active at once (issue 3: "at most two named break-glass principals"). */
export const MAX_ACTIVE_PRINCIPALS = 2;
/** Failed sign-in attempts before a principal is locked, and for how long. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
/** A request for approval (and an approval once given) stays usable this long. */
export const APPROVAL_TTL_MINUTES = 30;

/**
 * Who may see and act on break-glass. Admins read the status, including from a break-glass session. Deciding
 * a request and closing a review is the second pair of eyes: it needs an admin signed in through SSO, so a
 * break-glass session can never approve its own request or close its own review.
 */
export function authorizeBreakGlass(actor: Actor, action: BreakGlassAction): void {
  if (actor.role !== 'admin' || actor.via === 'token') {
    throw new ForbiddenError('Only admins can see or act on break-glass access.');
  }
  if (action === 'read') return;
  if (actor.via !== 'session') {
    throw new ForbiddenError(
      action === 'decide'
        ? 'A break-glass session cannot approve break-glass requests; an admin signed in through SSO must.'
        : 'A break-glass session cannot close break-glass reviews; an admin signed in through SSO must.',
    );
  }
}

export type GateVerdict =
  | { open: true; mode: 'idp_unreachable' | 'approved'; why: string }
  | { open: false; reason: 'idp_healthy' | 'no_approval'; why: string };

/**
 * Does break-glass open now? Only while the IdP has been unreachable for the configured period, or with a
 * second admin's approval that is still unused and unexpired.
 */
export function gateVerdict(input: {
  idpReachable: boolean | null;
  downMinutes: number;
  outageLongEnough: boolean;
  idpDownMinutes: number;
  hasApproval: boolean;
}): GateVerdict {
  if (input.idpReachable === false && input.outageLongEnough) {
    return {
      open: true,
      mode: 'idp_unreachable',
      why: `the identity provider has been unreachable for ${input.downMinutes} minutes (threshold ${input.idpDownMinutes})`,
    };
  }
  if (input.hasApproval) {
    return {
      open: true,
      mode: 'approved',
      why: 'a second admin approved a request that is unused and unexpired',
    };
  }
  if (input.idpReachable === false) {
    return {
      open: false,
      reason: 'no_approval',
      why: `the identity provider has been unreachable for ${input.downMinutes} of the ${input.idpDownMinutes} minutes needed, and no approval is waiting`,
    };
  }
  return {
    open: false,
    reason: 'idp_healthy',
    why:
      input.idpReachable === null
        ? 'the identity provider has not been checked yet, and no second admin has approved a request'
        : 'the identity provider is reachable and no second admin has approved a request',
  };
}
