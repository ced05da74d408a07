import type { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  type Insight,
  type InsightBatchItemResult,
  type InsightBatchResult,
  InsightCreate,
} from '../../../contract/api/insights.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { FieldError } from '../../../contract/problem.ts';
import { TAXONOMY_VERSION } from '../../../contract/taxonomy.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { authorizeInsight, insightReadScope } from './insights.policy.ts';
import * as repo from './insights.repo.ts';

export interface InsightDeps {
  db: Db;
  now: () => Date;
}

type CreateInput = z.output<typeof InsightCreate>;
type ItemProblem = NonNullable<InsightBatchItemResult['problem']>;

/** What capturing one insight came to; item-level problems are outcomes, not exceptions (a batch goes on). */
export type CaptureOutcome =
  | { status: 'created' | 'duplicate'; insight: Insight }
  | { status: 'conflict' | 'rejected'; problem: ItemProblem };

const ID_IN_USE = 'This insight id is already in use. Generate a new id.';

function capturedAtProblem(capturedAt: Date, now: Date, field: string): ItemProblem | null {
  if (capturedAt.getTime() > now.getTime() + LIMITS.capturedAtFutureSkewMs) {
    return {
      title: 'Invalid request',
      detail: 'capturedAt is in the future.',
      errors: [{ field, message: 'is more than 5 minutes in the future; check the device clock' }],
    };
  }
  if (capturedAt.getTime() < now.getTime() - LIMITS.capturedAtMaxAgeDays * 86_400_000) {
    return {
      title: 'Invalid request',
      detail: 'capturedAt is too old.',
      errors: [{ field, message: `is more than ${LIMITS.capturedAtMaxAgeDays} days ago` }],
    };
  }
  return null;
}

const rejected = (err: ValidationError): CaptureOutcome => ({
  status: 'rejected',
  problem: { title: err.title, detail: err.message, errors: err.errors ?? [] },
});

/**
 * Capture one insight with its client-generated id, for an actor already authorized to create. `prefix` names
 * where the item sits in the request ("body" for a single capture, "items[3]" in a batch), so field errors say
 * exactly which field of which item. The first write creates it and its audit event in one transaction; the
 * same id from the same author again is a duplicate returning the stored record (however often a phone
 * reconnects, there is exactly one insight); the same id from someone else is a conflict revealing nothing.
 */
async function captureOne(
  deps: InsightDeps,
  ctx: RequestContext,
  actor: Actor,
  input: CreateInput,
  prefix: string,
): Promise<CaptureOutcome> {
  const now = deps.now();
  const capturedAt = new Date(input.capturedAt);
  const tooEarlyOrLate = capturedAtProblem(capturedAt, now, `${prefix}.capturedAt`);
  if (tooEarlyOrLate) return { status: 'rejected', problem: tooEarlyOrLate };
  if (input.sessionId && !input.eventId) {
    return rejected(
      new ValidationError('A session needs its event.', [
        { field: `${prefix}.eventId`, message: 'is required when sessionId is given' },
      ]),
    );
  }

  let created: boolean;
  try {
    created = await deps.db.transaction(async (tx) => {
      if (input.eventId) {
        const found = await repo.findEventSession(tx, input.eventId, input.sessionId ?? null);
        if (!found.event) {
          throw new ValidationError('Unknown event.', [
            { field: `${prefix}.eventId`, message: 'no such event' },
          ]);
        }
        if (!found.session) {
          throw new ValidationError('Unknown session.', [
            { field: `${prefix}.sessionId`, message: 'no such session in this event' },
          ]);
        }
      }
      const row = await repo.insertInsightIfAbsent(tx, {
        id: input.id,
        authorId: actor.personId,
        text: input.text,
        title: input.title || null,
        type: input.type,
        productAreas: input.productAreas,
        sentiment: input.sentiment,
        priority: input.priority,
        tags: [...new Set(input.tags)],
        developer: input.developer && Object.keys(input.developer).length > 0 ? input.developer : null,
        followUp: input.followUp,
        // Flagging at capture enters the follow-up workflow as open.
        followUpStatus: input.followUp ? 'open' : null,
        followUpUpdatedAt: input.followUp ? now : null,
        eventId: input.eventId ?? null,
        sessionId: input.sessionId ?? null,
        source: input.source,
        taxonomyVersion: TAXONOMY_VERSION,
        capturedAt,
        createdAt: now,
        updatedAt: now,
      });
      if (!row) return false;
      await audit(tx, ctx, {
        action: 'insight.created',
        targetId: row.id,
        details: {
          type: input.type,
          sentiment: input.sentiment,
          priority: input.priority,
          source: input.source,
          eventId: input.eventId ?? null,
        },
      });
      return true;
    });
  } catch (err) {
    if (err instanceof ValidationError) return rejected(err);
    throw err;
  }

  if (!created) {
    const authorId = await repo.unsafeFindInsightAuthor(deps.db, input.id);
    if (authorId !== actor.personId) {
      return { status: 'conflict', problem: { title: 'Conflict', detail: ID_IN_USE } };
    }
  }
  const insight = await repo.findInsight(deps.db, insightReadScope(actor), input.id, {
    justCreated: created,
  });
  if (!insight) throw new NotFoundError('insight');
  return { status: created ? 'created' : 'duplicate', insight };
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

/** "items[3].developer.role", "items[3].tags[2]": where a zod issue sits, as a client would write it. */
function fieldName(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : `${name}.${String(key)}`),
    prefix,
  );
}

function zodProblem(error: z.ZodError, prefix: string): ItemProblem {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const base = fieldName(prefix, issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ field: `${base}.${key}`, message: 'is not a known field' });
    } else {
      errors.push({ field: base, message: issue.message });
    }
  }
  return { title: 'Invalid request', detail: `Check ${errors.map((e) => e.field).join(', ')}.`, errors };
}

function itemId(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || !('id' in item)) return null;
  const parsed = Uuid.safeParse(item.id);
  return parsed.success ? parsed.data : null;
}

/**
 * POST /api/v1/insights/batch: offline sync. Authorization is for the whole request (a viewer gets 403); then
 * each item is validated and committed on its own — its own transaction, its own audit event — so one bad item
 * never loses the others, and a batch resent after a dropped connection answers `duplicate` for the items that
 * landed. Items run in request order (an id repeated within the batch is created once, then a duplicate).
 */
export async function syncInsights(
  deps: InsightDeps,
  ctx: RequestContext,
  items: readonly unknown[],
): Promise<InsightBatchResult> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'create');
  const results: InsightBatchItemResult[] = [];
  for (const [index, item] of items.entries()) {
    const prefix = `items[${index}]`;
    const parsed = InsightCreate.safeParse(item);
    if (!parsed.success) {
      results.push({
        id: itemId(item),
        index,
        status: 'rejected',
        problem: zodProblem(parsed.error, prefix),
      });
      continue;
    }
    const outcome = await captureOne(deps, ctx, actor, parsed.data, prefix);
    results.push({ id: parsed.data.id, index, ...outcome });
  }
  return { results };
}

export async function getInsight(deps: InsightDeps, ctx: RequestContext, id: string): Promise<Insight> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'read');
  const insight = await repo.findInsight(deps.db, insightReadScope(actor), id);
  if (!insight) throw new NotFoundError('insight');
  return insight;
}
