import { ForbiddenError } from '../../errors.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import type { Actor } from '../identity/actor.ts';

export type GovernanceAction = 'read' | 'comment' | 'write' | 'attest' | 'package';

/**
 * The one place governance permissions are decided (readiness, decision register, program workspace, audience
 * packages; docs/readiness.md).
 * - read: everyone signed in with a role reads the readiness verdict, the decision register and the workspace;
 *   rollout status is not a secret inside the program, and an API token needs `readiness:read`.
 * - comment: everyone who reads may comment and @mention.
 * - write: admins edit decisions, phases, workstreams and risks.
 * - attest: admins set attestations and record deployment verifications and rollback drills (routes that do
 *   this are also `privileged`: a fresh MFA step-up, since they move a deployment gate).
 * - package: admins generate and download audience packages (the Security Review package names privileged
 *   people and break-glass history).
 */
export function authorizeGovernance(actor: Actor, action: GovernanceAction): void {
  if (action === 'read' || action === 'comment') return;
  if (actor.role === 'admin') return;
  throw new ForbiddenError(
    action === 'package'
      ? 'Only admins can generate or download audience packages.'
      : 'Only admins can change the readiness model, the decision register or the program workspace.',
  );
}

/** Route settings every governance domain shares: reads take a session or a `readiness:read` token. */
export const GOVERNANCE_READ = {
  auth: 'session_or_token',
  tokenScope: 'readiness:read',
  kind: 'api',
  rateLimit: RATE.read,
} as const;
/** Changes are made in the app, from a signed-in session. */
export const GOVERNANCE_WRITE = { auth: 'session', kind: 'api', rateLimit: RATE.write } as const;
