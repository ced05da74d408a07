import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  MergedDuplicate,
  MergeRequest,
  MergeResult,
  UnmergeResult,
} from '../../../contract/api/review.ts';
import { AppError, ConflictError, NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { insightReadScope } from '../insights/insights.policy.ts';
import { findInsight } from '../insights/insights.repo.ts';
import { authorizeDuplicates } from './duplicates.policy.ts';
import { insightsById } from './duplicates.repo.ts';
import { MIN_SIMILARITY } from './duplicates.scoring.ts';
import { type DuplicateDeps, notFoundField } from './duplicates.service.ts';
import * as repo from './merges.repo.ts';

type MergeInput = z.output<typeof MergeRequest>;

/** A 409 that names the offending field, so a reviewer sees which of several duplicates is the problem. */
function conflictAt(field: string, detail: string, message: string): AppError {
  return new AppError(409, 'Conflict', detail, [{ field, message }]);
}

async function mergedDuplicates(
  deps: DuplicateDeps,
  actor: Actor,
  primaryId: string,
  only?: string[],
): Promise<MergedDuplicate[]> {
  const rows = await repo.liveMergesInto(deps.db, actor, primaryId, only);
  const byId = await insightsById(
    deps.db,
    actor,
    rows.map((r) => r.duplicateId),
  );
  return rows.flatMap((r) => {
    const insight = byId.get(r.duplicateId);
    if (!insight) return [];
    const { mergeId, similarity, mergedBy } = r;
    return [{ mergeId, insight, similarity, mergedBy, mergedAt: r.mergedAt.toISOString() }];
  });
}

async function requireInsight(deps: DuplicateDeps, actor: Actor, id: string) {
  const insight = await findInsight(deps.db, insightReadScope(actor), id);
  if (!insight) throw new NotFoundError('insight');
  return insight;
}

/**
 * POST /api/v1/insights/:id/merge: merge duplicates into the primary `id`, in one transaction. Refused with
 * 403 before any lookup for roles below manager; 404 for a primary or duplicate outside the actor's scope
 * (the problem names `duplicateIds[i]`); 409 for a self-merge, a merged primary, an already-merged duplicate,
 * or a duplicate that is itself a primary with live merges (no chains: every duplicate points at a live
 * primary, so unmerging one merge never strands another). Each duplicate gets an insight_merges row (with the
 * detector's similarity, null when the texts are below anything the detector would propose), its pointer,
 * and an `insight.merged` audit event. Reactions, notes, attachments stay on their rows: unmerge restores all.
 */
export async function mergeInsights(
  deps: DuplicateDeps,
  ctx: RequestContext,
  primaryId: string,
  input: MergeInput,
): Promise<MergeResult> {
  const actor = requireActor(ctx);
  authorizeDuplicates(actor, 'review');
  const primary = primaryId.toLowerCase();
  const duplicateIds = input.duplicateIds.map((id) => id.toLowerCase());
  await deps.db.transaction(async (tx) => {
    const locked = new Map(
      (await repo.lockInsights(tx, actor, [primary, ...duplicateIds])).map((row) => [row.id, row]),
    );
    const target = locked.get(primary);
    if (!target) throw new NotFoundError('insight');
    duplicateIds.forEach((id, i) => {
      if (!locked.has(id)) throw notFoundField(`body.duplicateIds[${i}]`);
    });
    const self = duplicateIds.indexOf(primary);
    if (self >= 0)
      throw conflictAt(
        `body.duplicateIds[${self}]`,
        'An insight cannot be merged into itself.',
        'is the insight you are merging into',
      );
    if (target.mergedIntoId)
      throw new ConflictError(
        'This insight is itself merged into another insight; merge into that primary instead (see mergedInto).',
      );
    duplicateIds.forEach((id, i) => {
      if (locked.get(id)?.mergedIntoId)
        throw conflictAt(
          `body.duplicateIds[${i}]`,
          'An insight in the request is already merged into another insight. Unmerge it first.',
          'is already merged into another insight',
        );
    });
    const primaries = await repo.primariesAmong(tx, duplicateIds);
    duplicateIds.forEach((id, i) => {
      if (primaries.has(id))
        throw conflictAt(
          `body.duplicateIds[${i}]`,
          'An insight in the request has duplicates merged into it. Unmerge those first, or merge them into ' +
            'this primary.',
          'has duplicates merged into it',
        );
    });
    const similarities = await repo.similaritiesTo(tx, primary, duplicateIds);
    const mergedAt = deps.now();
    for (const duplicateId of duplicateIds) {
      const measured = similarities.get(duplicateId) ?? 0;
      const similarity = measured >= MIN_SIMILARITY ? measured : null;
      const mergeId = randomUUID();
      await repo.insertMerge(tx, {
        id: mergeId,
        primaryId: primary,
        duplicateId,
        similarity,
        mergedBy: actor.personId,
        mergedAt,
      });
      await repo.setMergedInto(tx, duplicateId, primary);
      await audit(tx, ctx, {
        action: 'insight.merged',
        targetId: duplicateId,
        details: { mergeId, primaryId: primary, similarity },
      });
    }
  });
  return {
    primary: await requireInsight(deps, actor, primary),
    merged: await mergedDuplicates(deps, actor, primary, duplicateIds),
  };
}

/**
 * POST /api/v1/insights/:id/unmerge (`id` = the duplicate): it becomes an insight of its own again, with the
 * reactions and notes it always kept; the merge record is closed (unmerged_at/by), not deleted. Same roles
 * as merging; 404 unless both the duplicate and its primary are in the actor's scope; 409 when not merged.
 */
export async function unmergeInsight(
  deps: DuplicateDeps,
  ctx: RequestContext,
  duplicateId: string,
): Promise<UnmergeResult> {
  const actor = requireActor(ctx);
  authorizeDuplicates(actor, 'review');
  const id = duplicateId.toLowerCase();
  const primaryId = await deps.db.transaction(async (tx) => {
    const [row] = await repo.lockInsights(tx, actor, [id]);
    if (!row) throw new NotFoundError('insight');
    if (!row.mergedIntoId) throw new ConflictError('This insight is not merged into another insight.');
    // The primary is read, not locked: nothing here depends on its row, and locking it after the duplicate
    // (not in id order) could deadlock with a merge locking both.
    if (!(await repo.isInScope(tx, actor, row.mergedIntoId))) throw new NotFoundError('insight');
    const merge = await repo.liveMergeOf(tx, id);
    if (!merge) throw new Error(`insight ${id} is merged without a live merge record`);
    await repo.closeMerge(tx, merge.id, actor.personId, deps.now());
    await repo.setMergedInto(tx, id, null);
    await audit(tx, ctx, {
      action: 'insight.unmerged',
      targetId: id,
      details: { mergeId: merge.id, primaryId: merge.primaryId },
    });
    return merge.primaryId;
  });
  return {
    insight: await requireInsight(deps, actor, id),
    primary: await requireInsight(deps, actor, primaryId),
  };
}

/** GET /api/v1/insights/:id/merges: the live merges into this primary (duplicates in the actor's scope). */
export async function mergesInto(
  deps: DuplicateDeps,
  ctx: RequestContext,
  primaryId: string,
): Promise<{ merged: MergedDuplicate[] }> {
  const actor = requireActor(ctx);
  authorizeDuplicates(actor, 'read');
  const primary = await requireInsight(deps, actor, primaryId);
  return { merged: await mergedDuplicates(deps, actor, primary.id) };
}
