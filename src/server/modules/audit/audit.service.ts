import {
  AUDIT_CATALOG,
  type AuditAction,
  type AuditDetails,
  type AuditOutcome,
} from '../../../contract/audit-events.ts';
import type { Db } from '../../db/client.ts';
import { logPrivilegedAction } from '../../observability/privileged-log.ts';
import type { RequestContext } from '../identity/actor.ts';
import { appendAuditEvent, appendAuditEvents } from './audit.repo.ts';

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

/** The content of one event, as the chain stores it (details checked against the catalog). */
function auditContent<A extends AuditAction>(ctx: RequestContext, input: AuditInput<A>) {
  const entry = AUDIT_CATALOG[input.action];
  const details = entry.details.parse(input.details) as Record<string, unknown>;
  const actor = input.actor ?? {
    personId: ctx.actor?.personId ?? null,
    sessionId: ctx.actor?.sessionId ?? null,
    role: ctx.actor?.role ?? null,
  };
  // Token and break-glass marks come from the request's actor whenever it is the one acting.
  const requestActor = ctx.actor && ctx.actor.personId === actor.personId ? ctx.actor : null;
  return {
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
  };
}

/**
 * Record an audited action. Call it with the transaction that makes the change, so the event and the change
 * commit together or not at all. Details are checked against the catalog: an undeclared shape is a bug.
 */
export async function audit<A extends AuditAction>(tx: Db, ctx: RequestContext, input: AuditInput<A>) {
  const event = await appendAuditEvent(tx, auditContent(ctx, input));
  logPrivilegedAction(event);
  return event;
}

/**
 * Record several audited actions of one request at once, in the order given (one chain lock, one head read,
 * multi-row inserts): the same events, with the same chain, as calling `audit` for each in turn. Same rule:
 * call it with the transaction that makes the changes.
 */
export async function auditMany<A extends AuditAction>(
  tx: Db,
  ctx: RequestContext,
  inputs: readonly AuditInput<A>[],
) {
  const events = await appendAuditEvents(
    tx,
    inputs.map((input) => auditContent(ctx, input)),
  );
  for (const event of events) logPrivilegedAction(event);
  return events;
}

// The verifier lives in audit.verify.ts (chain, signed checkpoints, archives); re-exported for existing callers.
export { type ChainVerification, verifyAuditChain } from './audit.verify.ts';
