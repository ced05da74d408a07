import {
  AUDIT_CATALOG,
  type AuditAction,
  type AuditDetails,
  type AuditOutcome,
} from '../../../contract/audit-events.ts';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../identity/actor.ts';
import { auditHash, GENESIS_HASH } from './audit.chain.ts';
import { appendAuditEvent, readAuditPage } from './audit.repo.ts';

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
  return appendAuditEvent(tx, {
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
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  lastSeq: number | null;
  lastHash: string;
  problem?: { seq: number; kind: 'hash_mismatch' | 'broken_link'; message: string };
}

/**
 * Walk the whole chain and recompute every hash. Detects an edited row (hash mismatch), and a deleted or
 * reordered row (the next row's prev_hash no longer links). Truncation of the newest rows needs the signed
 * checkpoints of the observability issue; this verifier reports the head it saw so a checkpoint can pin it.
 */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<ChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  let lastSeq: number | null = null;
  for (;;) {
    const rows = await readAuditPage(db, afterSeq, pageSize);
    for (const row of rows) {
      if (row.prevHash !== expectedPrev) {
        return {
          ok: false,
          checked,
          lastSeq,
          lastHash: expectedPrev,
          problem: {
            seq: row.seq,
            kind: 'broken_link',
            message: `event ${row.seq} does not follow the event before it (a row was deleted, inserted or reordered)`,
          },
        };
      }
      const { seq, prevHash, hash, ...content } = row;
      if (auditHash(prevHash, content) !== hash) {
        return {
          ok: false,
          checked,
          lastSeq,
          lastHash: expectedPrev,
          problem: { seq, kind: 'hash_mismatch', message: `event ${seq} was modified after it was written` },
        };
      }
      expectedPrev = hash;
      lastSeq = seq;
      checked += 1;
    }
    if (rows.length < pageSize) break;
    afterSeq = lastSeq ?? afterSeq;
  }
  return { ok: true, checked, lastSeq, lastHash: expectedPrev };
}
