import type { z } from 'zod';
import type {
  Insight,
  InsightCreate,
  InsightListQuery,
  InsightPage,
} from '../../../contract/api/insights.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { TAXONOMY_VERSION } from '../../../contract/taxonomy.ts';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeInsight, insightReadScope } from './insights.policy.ts';
import * as repo from './insights.repo.ts';

export interface InsightDeps {
  db: Db;
  now: () => Date;
}

type CreateInput = z.output<typeof InsightCreate>;
type ListInput = z.output<typeof InsightListQuery>;

function checkCapturedAt(capturedAt: Date, now: Date) {
  if (capturedAt.getTime() > now.getTime() + LIMITS.capturedAtFutureSkewMs) {
    throw new ValidationError('capturedAt is in the future.', [
      { field: 'body.capturedAt', message: 'is more than 5 minutes in the future; check the device clock' },
    ]);
  }
  if (capturedAt.getTime() < now.getTime() - LIMITS.capturedAtMaxAgeDays * 86_400_000) {
    throw new ValidationError('capturedAt is too old.', [
      { field: 'body.capturedAt', message: `is more than ${LIMITS.capturedAtMaxAgeDays} days ago` },
    ]);
  }
}

/**
 * Create an insight with its client-generated id. The first write creates it (and its audit event, in the same
 * transaction); a retry of the same id by the same author is an idempotent success returning the stored
 * record — however often a phone reconnects, there is exactly one insight.
 */
export async function createInsight(
  deps: InsightDeps,
  ctx: RequestContext,
  input: CreateInput,
): Promise<{ insight: Insight; created: boolean }> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'create');
  const now = deps.now();
  const capturedAt = new Date(input.capturedAt);
  checkCapturedAt(capturedAt, now);
  if (input.sessionId && !input.eventId) {
    throw new ValidationError('A session needs its event.', [
      { field: 'body.eventId', message: 'is required when sessionId is given' },
    ]);
  }

  const created = await deps.db.transaction(async (tx) => {
    if (input.eventId) {
      const found = await repo.findEventSession(tx, input.eventId, input.sessionId ?? null);
      if (!found.event)
        throw new ValidationError('Unknown event.', [{ field: 'body.eventId', message: 'no such event' }]);
      if (!found.session) {
        throw new ValidationError('Unknown session.', [
          { field: 'body.sessionId', message: 'no such session in this event' },
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
      eventId: input.eventId ?? null,
      sessionId: input.sessionId ?? null,
      source: 'capture',
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
        source: 'capture',
        eventId: input.eventId ?? null,
      },
    });
    return true;
  });

  if (!created) {
    const authorId = await repo.unsafeFindInsightAuthor(deps.db, input.id);
    if (authorId !== actor.personId)
      throw new ConflictError('This insight id is already in use. Generate a new id.');
  }
  const insight = await repo.findInsight(deps.db, insightReadScope(actor), input.id);
  if (!insight) throw new NotFoundError('insight');
  return { insight, created };
}

export async function getInsight(deps: InsightDeps, ctx: RequestContext, id: string): Promise<Insight> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'read');
  const insight = await repo.findInsight(deps.db, insightReadScope(actor), id);
  if (!insight) throw new NotFoundError('insight');
  return insight;
}

export async function listInsights(
  deps: InsightDeps,
  ctx: RequestContext,
  query: ListInput,
): Promise<InsightPage> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'read');
  const { limit, cursor, ...filters } = query;
  const after = cursor ? decodeCursor(cursor) : null;
  const { items, hasMore } = await repo.listInsights(deps.db, insightReadScope(actor), filters, {
    limit,
    after,
  });
  const last = items.at(-1);
  return { items, nextCursor: hasMore && last ? encodeCursor(new Date(last.capturedAt), last.id) : null };
}
