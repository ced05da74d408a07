import type { InsightCreate, InsightUpdate } from '../../../contract/api/insights.ts';
import {
  INSIGHT_EDITABLE_FIELDS,
  type InsightEditableField,
  TELEMETRY_MAX_AGE_MS,
} from '../../../contract/capture.ts';
import { LIMITS } from '../../../contract/limits.ts';
import type { CaptureDb } from './db.ts';
import type { TelemetryInput } from './telemetry.ts';
import type { Outcome } from './transport.ts';
import type { EditItem, InsightItem, OutboxItem } from './types.ts';

/** Pieces of the drain (engine.ts) that don't need its state. */

export const LOCK_NAME = 'bi-capture-sync';
/** The Background Sync tag the page registers and the service worker answers. */
export const SYNC_TAG = 'bi-capture-outbox';
/** A batch request stays well under the server's 1 MiB body limit even with 100 long multi-byte texts. */
export const BATCH_BYTES = 900_000;
const TELEMETRY_BATCHES_PER_DRAIN = 10;

let localChain: Promise<unknown> = Promise.resolve();

/** One drainer at a time across tabs and the worker (Web Locks), or within this realm when there are none. */
export function exclusive<T>(locks: LockManager | null | undefined, work: () => Promise<T>): Promise<T> {
  const manager = locks === undefined ? globalThis.navigator?.locks : locks;
  if (manager) return manager.request(LOCK_NAME, work) as Promise<T>;
  const run = localChain.then(work, work);
  localChain = run.catch(() => undefined);
  return run;
}

/** What a send can come back with once a lost session has been turned into SessionEnded. */
export type Answer = Exclude<Outcome, { kind: 'unauthorized' }>;

/** No usable answer: stop this drain; what was in flight backs off. */
export class TransportFailure {
  readonly detail: string;
  constructor(detail: string) {
    this.detail = detail;
  }
}

/** 401, or the session is someone else's: stop, touch nothing. */
export class SessionEnded {
  readonly otherPerson: boolean;
  constructor(otherPerson: boolean) {
    this.otherPerson = otherPerson;
  }
}

export function jsonRequest(method: 'POST' | 'PATCH', body: unknown): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  };
}

/** The oldest due insights that fit one request: ≤ LIMITS.syncBatchMax items and ≤ BATCH_BYTES of JSON. */
export function takeBatch(due: InsightItem[]): InsightItem[] {
  const encoder = new TextEncoder();
  const batch: InsightItem[] = [];
  let bytes = 0;
  for (const item of due) {
    const size = encoder.encode(JSON.stringify(item.body)).length + 1;
    if (batch.length > 0 && (batch.length >= LIMITS.syncBatchMax || bytes + size > BATCH_BYTES)) break;
    batch.push(item);
    bytes += size;
  }
  return batch;
}

export function outcome(
  result: 'created' | 'duplicate' | 'conflict' | 'rejected' | 'failed',
  item: OutboxItem['kind'],
): TelemetryInput {
  return { kind: 'sync_outcome', value: 1, attrs: { result, item } };
}

/** Equal as sent: rows hold JSON-shaped data, so their JSON is a faithful comparison. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields of a capture an edit can set, with what leaving one out of a capture means. */
const EDITABLE: Record<InsightEditableField, unknown> = {
  text: undefined,
  title: null,
  type: undefined,
  productAreas: [],
  sentiment: undefined,
  priority: undefined,
  tags: [],
  developer: null,
  followUp: false,
  eventId: null,
  sessionId: null,
};

/** A capture's content as an edit that makes the stored insight say exactly that. */
export function editableFields(body: InsightCreate): Omit<InsightUpdate, 'version'> {
  const changes: Record<string, unknown> = {};
  for (const field of INSIGHT_EDITABLE_FIELDS) changes[field] = body[field] ?? EDITABLE[field];
  return changes as Omit<InsightUpdate, 'version'>;
}

export function isConflictWithCurrent(body: unknown): body is { current: EditItem['base'] } {
  if (typeof body !== 'object' || body === null) return false;
  const current = (body as { current?: unknown }).current;
  return typeof current === 'object' && current !== null;
}

/** Indexes of the events a 400 names (`body.events[3].at`). */
function namedEvents(body: unknown): number[] {
  const errors = (body as { errors?: { field?: unknown }[] } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  const indexes = errors
    .map((e) => (typeof e?.field === 'string' ? /events\[(\d+)\]/.exec(e.field)?.[1] : undefined))
    .filter((i): i is string => i !== undefined)
    .map(Number);
  return [...new Set(indexes)];
}

/**
 * Telemetry goes last and is best effort: events older than the server accepts are dropped first, and events
 * the server refuses are dropped (those it names, or the whole batch when it names none), never retried.
 */
export async function flushTelemetry(
  db: CaptureDb,
  call: (path: string, init: RequestInit) => Promise<Answer>,
  now: () => number,
  appVersion = 'dev',
): Promise<void> {
  const tooOld = new Date(now() - TELEMETRY_MAX_AGE_MS + 3_600_000).toISOString();
  await db.telemetry.where('at').below(tooOld).delete();
  for (let round = 0; round < TELEMETRY_BATCHES_PER_DRAIN; round += 1) {
    const events = await db.telemetry.orderBy('at').limit(LIMITS.telemetryBatchMax).toArray();
    if (events.length === 0) return;
    const answer = await call('/api/v1/telemetry/capture', jsonRequest('POST', { appVersion, events }));
    if (answer.kind === 'transport') throw new TransportFailure(answer.detail);
    const named = answer.kind === 'refused' ? namedEvents(answer.body) : [];
    const drop =
      answer.kind === 'ok' || named.length === 0
        ? events
        : named.map((index) => events[index]).filter((event) => event !== undefined);
    await db.telemetry.bulkDelete(drop.map((event) => event.id));
    if (answer.kind === 'ok' && events.length < LIMITS.telemetryBatchMax) return;
  }
}
