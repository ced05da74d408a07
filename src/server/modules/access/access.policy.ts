import type { ExceptionApproverPolicy } from '../../../contract/api/access.ts';
import type { Role, ScopeKind } from '../../../contract/roles.ts';
import { ConflictError, ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The one place entitlement-rule and access-exception permissions are decided.
 *
 * Rules: admins read, preview, propose, approve and reject; everyone else 403. Proposing and deciding need an
 * SSO session (never break-glass: it restores service, it does not change who gets access). A version is
 * approved by an admin other than its author.
 *
 * Exceptions:
 * - Request: anyone for themselves; managers for people in their scope, below admin and within their own
 *   reach; admins for anyone. Someone outside the requester's scope answers 404.
 * - See: admins all; managers those whose subject is in their scope; everyone those they are the subject,
 *   requester, decider or direct manager of. Anything else answers 404.
 * - Decide (approve or reject): never the requester nor the subject (409). An admin decides any; the subject's
 *   direct manager (people.manager_id) decides when EXCEPTION_APPROVERS=admin_or_manager, the role is below
 *   admin and the grant is within the manager's own reach.
 * - Revoke: an admin, whoever approved it, or the subject's direct manager.
 */

export type RulesAction = 'read' | 'change' | 'decide';

export function authorizeRules(actor: Actor, action: RulesAction): void {
  if (actor.role !== 'admin' || actor.via === 'token')
    throw new ForbiddenError('Only admins can see or change the entitlement rules.');
  if (action !== 'read' && actor.via !== 'session')
    throw new ForbiddenError(
      'Entitlement rules are changed and approved from an SSO session, not break-glass.',
    );
}

/** Four eyes on a rule change: the author never approves their own version. */
export function checkRuleApprover(actor: Actor, version: { createdBy: string | null }): void {
  if (version.createdBy === actor.personId)
    throw new ConflictError('A rule change is approved by an admin other than the one who proposed it.');
}

/** Exceptions are requested and decided from an SSO session; reads also work in break-glass. */
export function authorizeExceptionWrite(actor: Actor): void {
  if (actor.via !== 'session')
    throw new ForbiddenError('Access exceptions are requested and decided from an SSO session.');
}

/** Whether the actor sees exceptions for everyone in their scope (not only their own). */
export function seesScopedExceptions(actor: Actor): 'all' | 'scope' | 'own' {
  if (actor.role === 'admin') return 'all';
  if (actor.role === 'manager') return 'scope';
  return 'own';
}

/** Who may ask for an exception for `subjectId` (before the subject is looked up in the actor's scope). */
export function authorizeRequestFor(actor: Actor, subjectId: string, role: Role): void {
  if (subjectId === actor.personId || actor.role === 'admin') return;
  if (actor.role !== 'manager')
    throw new ForbiddenError(
      'You can request an exception for yourself; a manager or an admin requests one for someone else.',
    );
  if (role === 'admin')
    throw new ForbiddenError('Managers cannot request admin access for someone; ask an admin.');
}

/** The facts a reach check needs about the grant, resolved by the service (the tree part in SQL). */
export interface GrantReach {
  scopeKind: ScopeKind;
  /** The teams the grant covers (the target, or the subject's teams). */
  teams: readonly string[];
  /** The org unit the grant covers (the target, or the subject's department). */
  unit: string | null;
  /** Whether the tree's root is inside one of the actor's reporting trees. */
  treeRootInActorTrees: boolean;
}

/** A non-admin never hands out more than they can see themselves. */
export function withinReach(actor: Actor, grant: GrantReach): boolean {
  const scope = actor.scope;
  if (scope.kind === 'all') return true;
  switch (grant.scopeKind) {
    case 'self':
      return true;
    case 'all':
      return false;
    case 'team':
      return grant.teams.length > 0 && grant.teams.every((t) => scope.teams.includes(t));
    case 'tree':
      return grant.treeRootInActorTrees;
    case 'org_unit': {
      const unit = grant.unit?.toLowerCase();
      return unit !== undefined && scope.units.some((u) => u.toLowerCase() === unit);
    }
  }
}

export function checkReach(actor: Actor, grant: GrantReach, verb: 'request' | 'approve'): void {
  if (actor.role === 'admin' || withinReach(actor, grant)) return;
  throw new ForbiddenError(
    `You can ${verb} an exception only for a scope inside your own reporting scope; ask an admin.`,
  );
}

/** Four eyes on an exception: never decided by whoever asked for it, nor by whoever would receive it. */
export function checkDecider(actor: Actor, exception: { requestedBy: string; subjectId: string }): void {
  if (exception.requestedBy === actor.personId)
    throw new ConflictError('An exception is decided by someone other than the person who requested it.');
  if (exception.subjectId === actor.personId)
    throw new ConflictError('An exception is decided by someone other than the person who would receive it.');
}

/** Whether the actor may approve or reject (after checkDecider); the reach part is checked by the caller. */
export function authorizeDecision(
  actor: Actor,
  exception: { role: Role; subjectManagerId: string | null },
  policy: ExceptionApproverPolicy,
): void {
  if (actor.role === 'admin') return;
  if (policy === 'admin')
    throw new ForbiddenError('Access exceptions are approved by an admin (EXCEPTION_APPROVERS=admin).');
  if (actor.role !== 'manager' || exception.subjectManagerId !== actor.personId)
    throw new ForbiddenError("Only an admin or the subject's direct manager can decide this exception.");
  if (exception.role === 'admin')
    throw new ForbiddenError('Admin access exceptions are approved by an admin.');
}

export function authorizeRevoke(
  actor: Actor,
  exception: { decidedBy: string | null; subjectManagerId: string | null },
): void {
  if (actor.role === 'admin') return;
  if (exception.decidedBy === actor.personId) return;
  if (exception.subjectManagerId === actor.personId) return;
  throw new ForbiddenError("An exception is revoked by an admin, its approver or the subject's manager.");
}
