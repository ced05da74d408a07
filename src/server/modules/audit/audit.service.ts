import {
  AUDIT_CATALOG,
  type AuditAction,
  type AuditDetails,
  type AuditOutcome,
} from '../../../contract/audit-events.ts';
import type { Db } from '../../db/client.ts';
import { logPrivilegedAction } from '../../observability/privileged-log.ts';
import type { RequestContext } from '../identity/actor.ts';
import { appendAuditEvent } from './audit.repo.ts';

export interface AuditInput<A extends AuditAction> {
  action: A;
  outcome?: AuditOutcome;
  targetId?: string | null;
  details: AuditDetails<A>;
  /** Who acted, when it is not (yet) the request's actor: e.g. the person who has just signed in. */
  actor?: { personId: string | null; sessionId: string | null; role: string | null };
  /** Mark the event as break-glass when the request's actor is not (yet) the break-glass session. */
  breakGlass?: boolean;
}

/**
 * Record an audited action. Call it with the transaction that makes the change, so the event and the change
 * commit together or not at all. Details are checked against the catalog: an undeclared shape is a bug.
 */
export async function audit<A extends AuditAction>(tx: Db, ctx: RequestContext, input: AuditInput<A>) {
  const entry = AUDIT_CATALOG[input.action];
  const details = entry.details.parse(input.details) as Record<string, unknown>;
  const actor = input.actor ?? {
    personId: ctx.actor?.personId ?? null,
    sessionId: ctx.actor?.sessionId ?? null,
    role: ctx.actor?.role ?? null,
  };
  // Token and break-glass marks come from the request's actor whenever it is the one acting.
  const requestActor = ctx.actor && ctx.actor.personId === actor.personId ? ctx.actor : null;
  const event = await appendAuditEvent(tx, {
    occurredAt: new Date(),
    action: input.action,
    outcome: input.outcome ?? 'success',
    actorId: actor.personId,
    actorSessionId: actor.sessionId,
    actorRole: actor.role,
    targetType: entry.targetType,
    targetId: input.targetId ?? null,
    actorTokenId: requestActor?.tokenId ?? null,
    actorBreakGlass: input.breakGlass ?? requestActor?.via === 'break_glass',
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    traceId: ctx.traceId,
    details,
  });
  logPrivilegedAction(event);
  return event;
}

// The verifier lives in audit.verify.ts (chain, signed checkpoints, archives); re-exported for existing callers.
export { type ChainVerification, verifyAuditChain } from './audit.verify.ts';
