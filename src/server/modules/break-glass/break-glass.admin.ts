import type { z } from 'zod';
import type {
  BreakGlassApproval,
  BreakGlassReviewClose,
  BreakGlassStatus,
  BreakGlassUse,
  BreakGlassUseList,
} from '../../../contract/api/break-glass.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { findPersonById } from '../identity/identity.repo.ts';
import { APPROVAL_TTL_MINUTES, authorizeBreakGlass } from './break-glass.policy.ts';
import * as repo from './break-glass.repo.ts';
import { evaluateGate } from './break-glass.service.ts';
import { readIdpStatus } from './idp-health.ts';

export interface BreakGlassAdminDeps {
  db: Db;
  now: () => Date;
  config: Pick<Config, 'breakGlass'>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toApproval(row: repo.ApprovalRow, principal: string): BreakGlassApproval {
  return {
    id: row.id,
    principal,
    reason: row.reason,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: iso(row.decidedAt),
  };
}

function toUse(row: repo.UseRow, principal: string, reviewerName: string | null): BreakGlassUse {
  return {
    id: row.id,
    principal,
    mode: row.mode,
    approvalId: row.approvalId,
    reason: row.reason,
    startedAt: row.startedAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reviewStatus: row.reviewStatus,
    reviewedBy: row.reviewedBy ? { id: row.reviewedBy, name: reviewerName ?? 'unknown' } : null,
    reviewedAt: iso(row.reviewedAt),
    reviewNotes: row.reviewNotes,
  };
}

export async function breakGlassStatus(
  deps: BreakGlassAdminDeps,
  ctx: RequestContext,
): Promise<BreakGlassStatus> {
  authorizeBreakGlass(requireActor(ctx), 'read');
  const now = deps.now();
  await repo.expireApprovals(deps.db, now);
  const [principals, idp, pending, openReviews, gate] = [
    await repo.listPrincipals(deps.db),
    await readIdpStatus(deps.db),
    await repo.listPendingApprovals(deps.db, now),
    await repo.countOpenReviews(deps.db),
    await evaluateGate(deps, null, deps.config.breakGlass.idpDownMinutes),
  ];
  const approved = [];
  for (const p of principals) {
    const a = p.status === 'active' ? await repo.findLiveApproval(deps.db, p.id, 'approved', now) : null;
    if (a) approved.push(toApproval(a, p.name));
  }
  return {
    principals: principals.map((p) => ({
      id: p.id,
      name: p.name,
      status: p.status,
      enrolledAt: p.enrolledAt.toISOString(),
      lastUsedAt: iso(p.lastUsedAt),
      lastDrillAt: iso(p.lastDrillAt),
      lockedUntil: p.lockedUntil && p.lockedUntil > now ? p.lockedUntil.toISOString() : null,
      revokedAt: iso(p.revokedAt),
    })),
    idp: {
      reachable: idp ? idp.failingSince === null : null,
      lastSuccessAt: iso(idp?.lastSuccessAt ?? null),
      lastFailureAt: iso(idp?.lastFailureAt ?? null),
      failingSince: iso(idp?.failingSince ?? null),
      lastError: idp?.lastError ?? null,
    },
    gate: { open: gate.open, mode: gate.open ? gate.mode : null, why: gate.why },
    settings: {
      idpDownMinutes: deps.config.breakGlass.idpDownMinutes,
      sessionMinutes: deps.config.breakGlass.sessionMinutes,
      webhookConfigured: Boolean(deps.config.breakGlass.webhookUrl),
    },
    approvals: [...pending.map((p) => toApproval(p.approval, p.principalName)), ...approved],
    openReviews,
  };
}

export async function listBreakGlassUses(
  deps: BreakGlassAdminDeps,
  ctx: RequestContext,
  review: 'open' | 'closed' | undefined,
): Promise<BreakGlassUseList> {
  authorizeBreakGlass(requireActor(ctx), 'read');
  const rows = await repo.listUses(deps.db, review, 100);
  return { items: rows.map((r) => toUse(r.use, r.principalName, r.reviewerName)) };
}

/**
 * A second admin (signed in through SSO) approves or denies a pending request. An approval is usable once,
 * within APPROVAL_TTL_MINUTES of the decision.
 */
export async function decideApproval(
  deps: BreakGlassAdminDeps,
  ctx: RequestContext,
  id: string,
  decision: 'approved' | 'denied',
): Promise<BreakGlassApproval> {
  const actor = requireActor(ctx);
  authorizeBreakGlass(actor, 'decide');
  const now = deps.now();
  await repo.expireApprovals(deps.db, now);
  return deps.db.transaction(async (tx) => {
    const found = await repo.findApproval(tx, id);
    if (!found) throw new NotFoundError('break-glass request');
    if (found.principal.personId === actor.personId) {
      throw new ConflictError('You cannot decide your own break-glass request.');
    }
    const decided = await repo.transitionApproval(
      tx,
      id,
      'pending',
      {
        status: decision,
        decidedBy: actor.personId,
        decidedAt: now,
        ...(decision === 'approved'
          ? { expiresAt: new Date(now.getTime() + APPROVAL_TTL_MINUTES * 60_000) }
          : {}),
      },
      now,
    );
    if (!decided) {
      throw new ConflictError(
        `This request is ${found.approval.status}; only a pending request can be decided.`,
      );
    }
    await audit(tx, ctx, {
      action: 'break_glass.approval.decided',
      targetId: id,
      details: { principal: found.principal.name, decision },
    });
    return toApproval(decided, found.principal.name);
  });
}

export async function closeReview(
  deps: BreakGlassAdminDeps,
  ctx: RequestContext,
  id: string,
  input: z.output<typeof BreakGlassReviewClose>,
): Promise<BreakGlassUse> {
  const actor = requireActor(ctx);
  authorizeBreakGlass(actor, 'review');
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const found = await repo.findUse(tx, id);
    if (!found) throw new NotFoundError('break-glass use');
    if (found.principal.personId === actor.personId) {
      throw new ConflictError('You cannot review your own break-glass use.');
    }
    if (found.use.endsAt > now && (await repo.findOpenSession(tx, found.principal.personId, now))) {
      throw new ConflictError('This break-glass session is still open; review it once it has ended.');
    }
    const closed = await repo.closeReview(tx, id, actor.personId, input.notes, now);
    if (!closed) throw new ConflictError('This review is already closed.');
    await audit(tx, ctx, {
      action: 'break_glass.review.closed',
      targetId: id,
      details: { notes: input.notes },
    });
    const reviewer = await findPersonById(tx, actor.personId);
    return toUse(closed, found.principal.name, reviewer?.displayName ?? actor.name);
  });
}
