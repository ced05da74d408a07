import type { FastifyBaseLogger } from 'fastify';
import { currentTraceId } from './tracing.ts';

/**
 * Every audited action is a privileged workflow, and each leaves one log line next to its audit event, so the
 * log stream (and whatever collects it) shows who did what without querying the audit table. The line holds
 * ids, the action and its outcome, never the event's details (they may name people) and never an e-mail.
 */

/** What the line is made of: the audit event as appended (audit.repo.ts AuditContent has these members). */
export interface PrivilegedEvent {
  id: string;
  action: string;
  outcome: string;
  actorId: string | null;
  actorRole: string | null;
  actorTokenId?: string | null;
  actorBreakGlass?: boolean;
  targetType: string;
  targetId: string | null;
  requestId: string | null;
  traceId: string | null;
}

let logger: FastifyBaseLogger | null = null;

/**
 * Where the lines go: the app's logger (app.ts calls this once per app; the last app built in a process wins).
 * A process that builds no app (the operator CLI) writes no such lines; its audit events are still stored.
 */
export function registerPrivilegedLog(log: FastifyBaseLogger): void {
  logger = log.child({ component: 'audit' });
}

/**
 * Log one appended audit event: info, or warn when its outcome is a failure. Called by audit() right after the
 * event is appended inside the caller's transaction, so a transaction that later rolls back leaves a line
 * whose event is not in the audit log (the audit log is the record; this line is the signal).
 */
export function logPrivilegedAction(event: PrivilegedEvent): void {
  if (!logger) return;
  const line = {
    audit: event.action,
    outcome: event.outcome,
    auditId: event.id,
    actorId: event.actorId,
    actorRole: event.actorRole,
    targetType: event.targetType,
    targetId: event.targetId,
    requestId: event.requestId,
    // The event's trace (the request's), else the work in progress (e.g. a job's span).
    traceId: event.traceId ?? currentTraceId(),
    ...(event.actorTokenId ? { tokenId: event.actorTokenId } : {}),
    ...(event.actorBreakGlass ? { breakGlass: true } : {}),
  };
  if (event.outcome === 'failure') logger.warn(line, 'privileged action');
  else logger.info(line, 'privileged action');
}
