import type { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import type { Insight, InsightBatchItemResult, InsightCreate } from '../../../contract/api/insights.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { FieldError } from '../../../contract/problem.ts';
import { TAXONOMY_VERSION } from '../../../contract/taxonomy.ts';
import type { ValidationError } from '../../errors.ts';
import type { AuditInput } from '../audit/audit.service.ts';
import type { Actor } from '../identity/actor.ts';
import type { NewInsightRow } from './insights.repo.ts';

/** What a single capture and every item of a sync batch share: checks, the row, the audit event. */

export type CreateInput = z.output<typeof InsightCreate>;
export type ItemProblem = NonNullable<InsightBatchItemResult['problem']>;

/** What capturing one insight came to; item-level problems are outcomes, not exceptions (a batch goes on). */
export type CaptureOutcome =
  | { status: 'created' | 'duplicate'; insight: Insight }
  | { status: 'conflict' | 'rejected'; problem: ItemProblem };

export const ID_IN_USE = 'This insight id is already in use. Generate a new id.';

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

export const problemOf = (err: ValidationError): ItemProblem => ({
  title: err.title,
  detail: err.message,
  errors: err.errors ?? [],
});

const problem = (detail: string, errors: FieldError[]): ItemProblem => ({
  title: 'Invalid request',
  detail,
  errors,
});

/** The checks that need no database: capturedAt within bounds, a session only with its event. */
export function precheckCapture(input: CreateInput, now: Date, prefix: string): ItemProblem | null {
  const tooEarlyOrLate = capturedAtProblem(new Date(input.capturedAt), now, `${prefix}.capturedAt`);
  if (tooEarlyOrLate) return tooEarlyOrLate;
  if (input.sessionId && !input.eventId) {
    return problem('A session needs its event.', [
      { field: `${prefix}.eventId`, message: 'is required when sessionId is given' },
    ]);
  }
  return null;
}

export const unknownEvent = (prefix: string): ItemProblem =>
  problem('Unknown event.', [{ field: `${prefix}.eventId`, message: 'no such event' }]);

export const unknownSession = (prefix: string): ItemProblem =>
  problem('Unknown session.', [{ field: `${prefix}.sessionId`, message: 'no such session in this event' }]);

/** The row a capture writes, authored by the actor, created and updated `now`. */
export function newInsightRow(input: CreateInput, actor: Actor, now: Date): NewInsightRow {
  return {
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
    capturedAt: new Date(input.capturedAt),
    createdAt: now,
    updatedAt: now,
  };
}

/** The insight.created event of a capture. */
export function createdAudit(input: CreateInput, id: string): AuditInput<'insight.created'> {
  return {
    action: 'insight.created',
    targetId: id,
    details: {
      type: input.type,
      sentiment: input.sentiment,
      priority: input.priority,
      source: input.source,
      eventId: input.eventId ?? null,
    },
  };
}

/**
 * PostgreSQL refused the item's data (SQLSTATE class 22, data exception, e.g. a NUL character in a text; or 23,
 * integrity constraint violation), however deep the driver wrapped the error: the item's problem. Null for
 * anything else (connection lost, serialization failure, …): that is no verdict on the item, so the request
 * fails and the client sends the batch again.
 */
export function refusedItem(err: unknown, prefix: string): ItemProblem | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth += 1) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^2[23]/.test(code)) {
      const on = typeof constraint === 'string' ? constraint : '';
      if (code === '23503' && on.includes('event_id')) return unknownEvent(prefix);
      if (code === '23503' && on.includes('session_id')) return unknownSession(prefix);
      return problem('The insight could not be stored as sent.', [
        { field: prefix, message: 'was refused by the database; check its text and fields' },
      ]);
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** "items[3].developer.role", "items[3].tags[2]": where a zod issue sits, as a client would write it. */
function fieldName(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : `${name}.${String(key)}`),
    prefix,
  );
}

export function zodProblem(error: z.ZodError, prefix: string): ItemProblem {
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

/** The id of an item that failed validation, when it has a valid one. */
export function itemId(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || !('id' in item)) return null;
  const parsed = Uuid.safeParse(item.id);
  return parsed.success ? parsed.data : null;
}
