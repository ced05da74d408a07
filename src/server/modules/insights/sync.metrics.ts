import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { counter, histogram } from '../../observability/metrics.ts';

/**
 * The server side of the capture outbox: what became of each item it sent (batch of insights, photo or
 * recording upload, edit, bug report), as metrics and log lines. The client reports its own view as telemetry
 * (bi_capture_sync_items_total); these count what the server answered. Labels come from the fixed lists below.
 * Log lines carry ids, results and problem codes, never the content of an item.
 */
export const SYNC_KINDS = ['insight', 'attachment', 'edit', 'bug_report'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];
export const SYNC_RESULTS = ['created', 'duplicate', 'conflict', 'rejected'] as const;
export type SyncResult = (typeof SYNC_RESULTS)[number];

export const syncItems = counter(
  'bi_sync_items_total',
  'Outbox items the server answered, by kind (insight, attachment, edit, bug_report) and result ' +
    '(created, duplicate, conflict, rejected).',
);
export const syncBatchSize = histogram(
  'bi_sync_batch_size',
  'Items per sync batch (POST /api/v1/insights/batch), by kind.',
  [1, 5, 10, 25, 50, 100, 200, 500],
);

/** One item of a batch's answer, as InsightBatchItemResult has it. */
export interface SyncItemOutcome {
  id: string | null;
  index: number;
  status: SyncResult;
  problem?: { title: string; errors?: { field: string }[] | undefined } | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id from the request, only when it is id-shaped (never free text a client put there). */
export function idOrNull(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

/** "Invalid request" → "invalid-request": the problem's type slug, a code from a fixed vocabulary. */
function problemCode(title: string): string {
  return title.toLowerCase().replaceAll(' ', '-').slice(0, 50);
}

/** Which fields were wrong (names such as items[3].capturedAt, never their values). */
function fieldNames(errors: { field: string }[] | undefined): string[] | undefined {
  return errors?.slice(0, 20).map((e) => e.field.slice(0, 200));
}

function logItem(
  log: FastifyBaseLogger,
  base: Record<string, unknown>,
  result: SyncResult,
  problem: { code: string; fields?: string[] | undefined } | null,
) {
  if (result === 'duplicate') {
    // The client sent this again because it never got (or lost) the first answer.
    log.info({ ...base, result, retry: true }, 'sync retry');
  } else if (result === 'conflict' || result === 'rejected') {
    log.warn(
      {
        ...base,
        result,
        problem: problem?.code ?? 'unknown',
        ...(problem?.fields ? { fields: problem.fields } : {}),
      },
      'sync item refused',
    );
  }
}

/**
 * Count and log one answered batch: a `sync batch` line with the counts per result, a `sync retry` line per
 * duplicate and a `sync item refused` warning per conflict or rejection.
 */
export function recordSyncBatch(
  request: FastifyRequest,
  kind: SyncKind,
  results: readonly SyncItemOutcome[],
  durationMs: number,
): void {
  const actorId = request.ctx?.actor?.personId ?? null;
  const counts: Record<SyncResult, number> = { created: 0, duplicate: 0, conflict: 0, rejected: 0 };
  syncBatchSize.observe({ kind }, results.length);
  for (const item of results) {
    counts[item.status] += 1;
    syncItems.inc({ kind, result: item.status });
    const problem = item.problem
      ? { code: problemCode(item.problem.title), fields: fieldNames(item.problem.errors) }
      : null;
    logItem(request.log, { sync: kind, itemId: item.id, index: item.index, actorId }, item.status, problem);
  }
  request.log.info(
    { sync: kind, items: results.length, ...counts, durationMs: Math.round(durationMs * 10) / 10, actorId },
    'sync batch',
  );
}

/**
 * What a single-item outbox request came to, from its status: 201 created; 200 a duplicate (an edit's 200 is
 * the edit applied: created); 409 conflict; 400, 403, 404, 413, 415 rejected (an attachment's 404 is not: the
 * outbox keeps the file and tries again once its insight is visible). 401, 429 and 5xx are no outcome: the
 * item stays in the outbox and is sent again.
 */
export function singleItemResult(kind: Exclude<SyncKind, 'insight'>, status: number): SyncResult | null {
  if (status === 201) return 'created';
  if (status === 200) return kind === 'edit' ? 'created' : 'duplicate';
  if (status === 409) return 'conflict';
  if (status === 404) return kind === 'attachment' ? null : 'rejected';
  if ([400, 403, 413, 415].includes(status)) return 'rejected';
  return null;
}

const PROBLEM_BY_STATUS: Record<number, string> = {
  400: 'invalid-request',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/**
 * A route-level onResponse hook for a single-item outbox route: counts the item's result and logs it (`sync
 * item`, `sync retry` or `sync item refused`) with the ids `idsOf` reads from the request.
 */
export function syncItemHook(
  kind: Exclude<SyncKind, 'insight'>,
  idsOf: (request: FastifyRequest) => { itemId: string | null; insightId?: string | null },
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const result = singleItemResult(kind, reply.statusCode);
    if (!result) return;
    syncItems.inc({ kind, result });
    const base = {
      sync: kind,
      ...idsOf(request),
      status: reply.statusCode,
      actorId: request.ctx?.actor?.personId ?? null,
    };
    if (result === 'created') request.log.info({ ...base, result }, 'sync item');
    else logItem(request.log, base, result, { code: PROBLEM_BY_STATUS[reply.statusCode] ?? 'unknown' });
  };
}
