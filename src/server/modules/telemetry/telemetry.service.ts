import type { z } from 'zod';
import {
  SAVE_MODES,
  SYNC_RESULTS,
  TELEMETRY_EVENT_KINDS,
  TELEMETRY_FUTURE_SKEW_MS,
  TELEMETRY_MAX_AGE_MS,
  type TelemetryBatch,
  type TelemetryKind,
  type TelemetrySummary,
} from '../../../contract/api/telemetry.ts';
import type { FieldError } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import type { RequestContext } from '../identity/actor.ts';
import { recordCaptureEvent } from './telemetry.metrics.ts';
import { authorizeTelemetry } from './telemetry.policy.ts';
import * as repo from './telemetry.repo.ts';

export interface TelemetryDeps {
  db: Db;
  now: () => Date;
}

type BatchInput = z.output<typeof TelemetryBatch>;
type EventInput = BatchInput['events'][number];

/** Attributes whose values label metrics: only these values are accepted (`required`: the event needs it). */
const ATTR_RULES: Partial<
  Record<TelemetryKind, { attr: string; values: readonly string[]; required: boolean }>
> = {
  sync_outcome: { attr: 'result', values: SYNC_RESULTS, required: true },
  tap_to_saved_ms: { attr: 'mode', values: SAVE_MODES, required: true },
  app_start: { attr: 'standalone', values: ['true', 'false'], required: false },
};

/** Stop listing problems after this many: one clock mistake repeats on every event of a batch. */
const MAX_FIELD_ERRORS = 20;

function eventProblems(event: EventInput, index: number, now: number): FieldError[] {
  const problems: FieldError[] = [];
  const at = new Date(event.at).getTime();
  if (at > now + TELEMETRY_FUTURE_SKEW_MS)
    problems.push({
      field: `body.events[${index}].at`,
      message: 'is more than 5 minutes in the future; check the device clock',
    });
  else if (at < now - TELEMETRY_MAX_AGE_MS)
    problems.push({ field: `body.events[${index}].at`, message: 'is more than 7 days ago; drop the event' });
  const rule = ATTR_RULES[event.kind];
  const value = rule ? event.attrs[rule.attr] : undefined;
  if (rule && (value === undefined ? rule.required : !rule.values.includes(value)))
    problems.push({
      field: `body.events[${index}].attrs.${rule.attr}`,
      message: `must be one of ${rule.values.join(', ')} for ${event.kind}`,
    });
  return problems;
}

/**
 * POST /api/v1/telemetry/capture. The whole batch is checked first and refused (400, naming each bad event's
 * field) if any event is out of the accepted time window or carries an attribute value outside its fixed list;
 * then it is stored in one statement, each id at most once, so a batch resent after a lost answer stores
 * nothing twice. The person is the signed-in actor, never something the body says. Only newly stored events
 * move the metrics.
 */
export async function ingestTelemetry(
  deps: TelemetryDeps,
  ctx: RequestContext,
  batch: BatchInput,
): Promise<{ accepted: number; duplicates: number }> {
  const actor = requireActor(ctx);
  authorizeTelemetry(actor, 'send');
  const now = deps.now();
  const problems = batch.events.flatMap((event, index) => eventProblems(event, index, now.getTime()));
  if (problems.length > 0) {
    throw new ValidationError(
      'Some events cannot be accepted; nothing from this batch was stored.',
      problems.slice(0, MAX_FIELD_ERRORS),
    );
  }
  const stored = await repo.insertEvents(
    deps.db,
    batch.events.map((event) => ({
      id: event.id,
      personId: actor.personId,
      kind: event.kind,
      value: event.value,
      attrs: event.attrs,
      appVersion: batch.appVersion,
      occurredAt: new Date(event.at),
      receivedAt: now,
    })),
  );
  for (const event of stored) recordCaptureEvent(event);
  return { accepted: stored.length, duplicates: batch.events.length - stored.length };
}

const UNIT: Record<TelemetryKind, 'ms' | 'items' | 'events'> = {
  tap_to_saved_ms: 'ms',
  queue_depth: 'items',
  sync_outcome: 'events',
  reconnect: 'events',
  offline_duration_ms: 'ms',
  app_start: 'events',
};

/**
 * GET /api/v1/telemetry/capture/summary: the last `days` days of every device's telemetry (by when the event
 * happened), per kind; plus save speed by mode, sync outcomes by result, and the offline recovery rate.
 */
export async function summarizeTelemetry(
  deps: TelemetryDeps,
  ctx: RequestContext,
  days: number,
): Promise<TelemetrySummary> {
  authorizeTelemetry(requireActor(ctx), 'summarize');
  const to = deps.now();
  const from = new Date(to.getTime() - days * 86_400_000);
  const [kinds, modes, results, people] = await Promise.all([
    repo.statsByKind(deps.db, from),
    repo.statsByAttr(deps.db, from, 'tap_to_saved_ms', 'mode'),
    repo.statsByAttr(deps.db, from, 'sync_outcome', 'result'),
    repo.countPeople(deps.db, from),
  ]);
  const resultCount = (result: string) => results.find((r) => r.value === result)?.count ?? 0;
  const synced = resultCount('created') + resultCount('duplicate');
  const failed = resultCount('failed');
  return {
    days,
    from: from.toISOString(),
    to: to.toISOString(),
    kinds: TELEMETRY_EVENT_KINDS.map((kind) => {
      const row = kinds.find((k) => k.kind === kind);
      // Counted kinds always carry value 1: their average and percentiles say nothing.
      const measured = UNIT[kind] !== 'events' && row !== undefined;
      return {
        kind,
        count: row?.count ?? 0,
        unit: UNIT[kind],
        avg: measured ? row.avg : null,
        p50: measured ? row.p50 : null,
        p95: measured ? row.p95 : null,
      };
    }),
    tapToSavedByMode: SAVE_MODES.map((mode) => {
      const row = modes.find((m) => m.value === mode);
      return { mode, count: row?.count ?? 0, p50: row?.p50 ?? null, p95: row?.p95 ?? null };
    }),
    syncOutcomes: SYNC_RESULTS.map((result) => ({ result, count: resultCount(result) })),
    offlineRecoveryRate: synced + failed === 0 ? null : synced / (synced + failed),
    people,
  };
}
