import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  InsightBulkResult,
  InsightBulkUpdate,
  InsightEditableField,
} from '../../../contract/api/insights.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { FieldError } from '../../../contract/problem.ts';
import { AppError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeInsight, insightReadScope } from './insights.policy.ts';
import * as repo from './insights.repo.ts';
import type { InsightDeps } from './insights.service.ts';

type BulkInput = z.output<typeof InsightBulkUpdate>;
type Locked = Awaited<ReturnType<typeof repo.lockForBulk>>[number];

const key = (tag: string) => tag.toLowerCase();

/** Values that appear in both lists (case-insensitively): asking to add and remove the same thing is a 400. */
function overlap(add: readonly string[] | undefined, remove: readonly string[] | undefined): string[] {
  const removing = new Set((remove ?? []).map(key));
  return [...new Set((add ?? []).filter((value) => removing.has(key(value))))];
}

/**
 * Remove, then add, case-insensitively: "RAG" removes "rag" and "Rag"; adding "rag" to an insight tagged "RAG"
 * changes nothing (the stored spelling stays). Order is kept; new values go last.
 */
export function applyListChange(
  current: readonly string[],
  add: readonly string[] | undefined,
  remove: readonly string[] | undefined,
): string[] {
  const removing = new Set((remove ?? []).map(key));
  const next = current.filter((value) => !removing.has(key(value)));
  const present = new Set(next.map(key));
  for (const value of add ?? []) {
    if (present.has(key(value))) continue;
    present.add(key(value));
    next.push(value);
  }
  return next;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);

function validateRequest(input: BulkInput): void {
  const errors: FieldError[] = [];
  const tags = overlap(input.addTags, input.removeTags);
  if (tags.length > 0)
    errors.push({ field: 'body.removeTags', message: `must not also be added: ${tags.join(', ')}` });
  const areas = overlap(input.addProductAreas, input.removeProductAreas);
  if (areas.length > 0)
    errors.push({ field: 'body.removeProductAreas', message: `must not also be added: ${areas.join(', ')}` });
  if (errors.length > 0) throw new ValidationError('A value cannot be added and removed at once.', errors);
}

/** What one insight becomes, or null when it already matches. */
function planFor(row: Locked, input: BulkInput) {
  const next = {
    type: input.type ?? row.type,
    sentiment: input.sentiment ?? row.sentiment,
    priority: input.priority ?? row.priority,
    tags: applyListChange(row.tags, input.addTags, input.removeTags),
    productAreas: applyListChange(row.productAreas, input.addProductAreas, input.removeProductAreas),
  };
  const changed: InsightEditableField[] = [];
  if (next.type !== row.type) changed.push('type');
  if (next.sentiment !== row.sentiment) changed.push('sentiment');
  if (next.priority !== row.priority) changed.push('priority');
  if (!sameList(next.tags, row.tags)) changed.push('tags');
  if (!sameList(next.productAreas, row.productAreas)) changed.push('productAreas');
  if (changed.length === 0) return null;
  const changes: repo.InsightChanges = {};
  for (const field of changed) Object.assign(changes, { [field]: next[field as keyof typeof next] });
  return { changes, changed, tags: next.tags.length, areas: next.productAreas.length };
}

/**
 * POST /api/v1/insights/bulk: retag or reclassify up to LIMITS.bulkMax insights at once, all or nothing.
 * Managers and admins only (403 for others before any lookup). Every id must be in the actor's read scope
 * (otherwise 404 naming body.ids[i], nothing written). One transaction with the rows locked: each insight that
 * really changes gets a new version and its own `insight.updated` carrying the bulkId; insights that already
 * match are listed as unchanged and not rewritten; one `insight.bulk_updated` records the request. A result
 * that would exceed the per-insight tag or product-area bound is a 400 naming the field, nothing written.
 */
export async function bulkUpdateInsights(
  deps: InsightDeps,
  ctx: RequestContext,
  input: BulkInput,
): Promise<InsightBulkResult> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'bulk_update');
  validateRequest(input);
  const bulkId = randomUUID();
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const rows = await repo.lockForBulk(tx, insightReadScope(actor), input.ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const missing = input.ids.flatMap((id, i) =>
      byId.has(id)
        ? []
        : [{ field: `body.ids[${i}]`, message: 'no such insight, or it is outside your scope' }],
    );
    if (missing.length > 0) {
      throw new AppError(404, 'Not found', 'Some insights do not exist or are outside your scope.', missing);
    }

    const plans = input.ids.map((id) => {
      const row = byId.get(id) as Locked;
      return { id, row, plan: planFor(row, input) };
    });
    const bounds: FieldError[] = [];
    for (const [i, { plan }] of plans.entries()) {
      if (plan && plan.tags > LIMITS.tagsPerInsight)
        bounds.push({
          field: 'body.addTags',
          message: `would give ids[${i}] ${plan.tags} tags; an insight has at most ${LIMITS.tagsPerInsight}`,
        });
      if (plan && plan.areas > LIMITS.productAreasPerInsight)
        bounds.push({
          field: 'body.addProductAreas',
          message: `would give ids[${i}] ${plan.areas} product areas; an insight has at most ${LIMITS.productAreasPerInsight}`,
        });
    }
    if (bounds.length > 0) throw new ValidationError('The change would exceed a per-insight bound.', bounds);

    const updated: InsightBulkResult['updated'] = [];
    const unchanged: string[] = [];
    for (const { id, row, plan } of plans) {
      if (!plan) {
        unchanged.push(id);
        continue;
      }
      const written = await repo.updateInsightAtVersion(tx, id, row.version, plan.changes, now);
      if (!written) throw new Error(`bulk update lost its lock on insight ${id}`);
      await audit(tx, ctx, {
        action: 'insight.updated',
        targetId: id,
        details: { fromVersion: row.version, toVersion: written.version, changed: plan.changed, bulkId },
      });
      updated.push({ id, version: written.version });
    }
    const changes = Object.fromEntries(
      Object.entries({
        type: input.type,
        sentiment: input.sentiment,
        priority: input.priority,
        addTags: input.addTags,
        removeTags: input.removeTags,
        addProductAreas: input.addProductAreas,
        removeProductAreas: input.removeProductAreas,
      }).filter(([, value]) => value !== undefined),
    );
    await audit(tx, ctx, {
      action: 'insight.bulk_updated',
      targetId: null,
      details: { bulkId, requested: input.ids.length, updated: updated.length, changes },
    });
    return { bulkId, updated, unchanged };
  });
}
