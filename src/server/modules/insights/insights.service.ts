import type { Insight } from '../../../contract/api/insights.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { insertNewInsights } from './insights.capture.repo.ts';
import {
  type CaptureOutcome,
  type CreateInput,
  createdAudit,
  ID_IN_USE,
  type ItemProblem,
  newInsightRow,
  precheckCapture,
  unknownEvent,
  unknownSession,
} from './insights.capture.ts';
import { authorizeInsight, insightReadScope } from './insights.policy.ts';
import * as repo from './insights.repo.ts';

export type { CaptureOutcome } from './insights.capture.ts';
// The batch sync lives in insights.sync.ts; re-exported for existing callers.
export { syncInsights } from './insights.sync.ts';

export interface InsightDeps {
  db: Db;
  now: () => Date;
}

/**
 * Capture one insight with its client-generated id, for an actor already authorized to create (`prefix` is
 * "body": field errors name body.capturedAt). The first write creates it and its audit event in one
 * transaction, and the answer is built from the inserted row (RETURNING with the author, event and session
 * names), so nothing is read back; the same id from the same author again is a duplicate returning the stored
 * record (however often a phone reconnects, there is exactly one insight); the same id from someone else is a
 * conflict revealing nothing. A sync batch does the same for many items at once (insights.sync.ts).
 */
async function captureOne(
  deps: InsightDeps,
  ctx: RequestContext,
  actor: Actor,
  input: CreateInput,
  prefix: string,
): Promise<CaptureOutcome> {
  const now = deps.now();
  const early = precheckCapture(input, now, prefix);
  if (early) return { status: 'rejected', problem: early };

  const written = await deps.db.transaction(
    async (tx): Promise<{ problem: ItemProblem } | { row: repo.JoinedRow | null }> => {
      if (input.eventId) {
        const found = await repo.findEventSession(tx, input.eventId, input.sessionId ?? null);
        if (!found.event) return { problem: unknownEvent(prefix) };
        if (!found.session) return { problem: unknownSession(prefix) };
      }
      const [row] = await insertNewInsights(tx, [newInsightRow(input, actor, now)]);
      if (!row) return { row: null };
      await audit(tx, ctx, createdAudit(input, row.insight.id));
      return { row };
    },
  );
  if ('problem' in written) return { status: 'rejected', problem: written.problem };
  // Just created: in the author's own scope, nothing merged into it yet.
  if (written.row) return { status: 'created', insight: repo.toInsight(written.row, 0) };

  const authorId = await repo.unsafeFindInsightAuthor(deps.db, input.id);
  if (authorId !== actor.personId) {
    return { status: 'conflict', problem: { title: 'Conflict', detail: ID_IN_USE } };
  }
  const insight = await repo.findInsight(deps.db, insightReadScope(actor), input.id);
  if (!insight) throw new NotFoundError('insight');
  return { status: 'duplicate', insight };
}

/** POST /api/v1/insights: one capture; item-level outcomes become the errors the single route has always had. */
export async function createInsight(
  deps: InsightDeps,
  ctx: RequestContext,
  input: CreateInput,
): Promise<{ insight: Insight; created: boolean }> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'create');
  const outcome = await captureOne(deps, ctx, actor, input, 'body');
  if ('problem' in outcome) {
    if (outcome.status === 'conflict') throw new ConflictError(outcome.problem.detail);
    throw new ValidationError(outcome.problem.detail, outcome.problem.errors ?? []);
  }
  return { insight: outcome.insight, created: outcome.status === 'created' };
}

export async function getInsight(deps: InsightDeps, ctx: RequestContext, id: string): Promise<Insight> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'read');
  const insight = await repo.findInsight(deps.db, insightReadScope(actor), id);
  if (!insight) throw new NotFoundError('insight');
  return insight;
}
