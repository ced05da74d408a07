import { randomUUID } from 'node:crypto';
import { count, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetrySummary } from '../../src/contract/api/telemetry.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { clientTelemetry } from '../../src/server/db/schema.ts';
import { snapshot } from '../../src/server/observability/metrics.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let ari: Session; // advocate
let maya: Session; // manager
let priya: Session; // admin
let victor: Session; // viewer

beforeAll(async () => {
  stack = await startStack();
  [ari, maya, victor] = (await Promise.all(['Ari', 'Maya', 'Victor'].map((who) => stack.signIn(who)))) as [
    Session,
    Session,
    Session,
  ];
  priya = await stack.signIn('Priya', { auth: 'mfa' });
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;
const countRows = async () => Number((await db().select({ n: count() }).from(clientTelemetry))[0]?.n);
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function event(kind: string, value: number, attrs: Record<string, string> = {}, at = minutesAgo(5)) {
  return { id: randomUUID(), kind, value, attrs, at };
}

async function send(who: Session, events: unknown[], expected = 202) {
  const response = await who.post('/api/v1/telemetry/capture', { appVersion: '1.4.0+abc123', events });
  expect(response.status, await response.clone().text()).toBe(expected);
  return (await response.json()) as { accepted: number; duplicates: number; errors?: { field: string }[] };
}

async function summary(who: Session, days?: number) {
  const response = await who.get(`/api/v1/telemetry/capture/summary${days ? `?days=${days}` : ''}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as TelemetrySummary;
}

/** A metric series' value as the process exposes it (the counters' and histograms' snapshot). */
function metric(name: string, labels: Record<string, string> = {}): number {
  const sample = snapshot()
    .find((m) => m.name === name)
    ?.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels));
  return sample?.value ?? 0;
}

function histogramSum(name: string, labels: Record<string, string> = {}): number {
  const sample = snapshot()
    .find((m) => m.name === name)
    ?.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels));
  return sample?.histogram?.sum ?? 0;
}

describe('the summary (admin)', () => {
  // First in the file, so the database holds exactly these events.
  it('reports count, average and percentiles per kind, save speed by mode, and the offline recovery rate', async () => {
    const taps = [100, 200, 300, 400].map((ms) => event('tap_to_saved_ms', ms, { mode: 'online' }));
    const results = ['created', 'created', 'created', 'duplicate', 'failed', 'failed', 'rejected'];
    await send(ari, [
      ...taps,
      event('tap_to_saved_ms', 1000, { mode: 'offline' }),
      ...results.map((result) => event('sync_outcome', 1, { result })),
      event('queue_depth', 4),
      event('reconnect', 1),
      event('offline_duration_ms', 90_000),
    ]);
    await send(victor, [event('app_start', 1, { standalone: 'true' })]);
    // Ten days old: outside the default week, inside 30 days (stored directly: the API refuses such events).
    await db()
      .insert(clientTelemetry)
      .values({
        id: randomUUID(),
        personId: (await ari.json<{ person: { id: string } }>('/api/v1/me')).person.id,
        kind: 'reconnect',
        value: 1,
        attrs: {},
        appVersion: '1.3.0',
        occurredAt: new Date(Date.now() - 10 * 86_400_000),
      });

    const week = await summary(priya);
    expect(week.days).toBe(7);
    const tap = week.kinds.find((k) => k.kind === 'tap_to_saved_ms');
    expect(tap).toMatchObject({ kind: 'tap_to_saved_ms', count: 5, unit: 'ms', avg: 400, p50: 300 });
    expect(tap?.p95).toBeCloseTo(880, 6);
    expect(week.kinds.find((k) => k.kind === 'sync_outcome')).toEqual({
      kind: 'sync_outcome',
      count: 7,
      unit: 'events',
      avg: null,
      p50: null,
      p95: null,
    });
    expect(week.kinds.find((k) => k.kind === 'reconnect')?.count).toBe(1);
    expect(week.kinds.find((k) => k.kind === 'queue_depth')).toMatchObject({
      count: 1,
      unit: 'items',
      p50: 4,
    });
    expect(week.tapToSavedByMode).toEqual([
      { mode: 'online', count: 4, p50: 250, p95: 385 },
      { mode: 'offline', count: 1, p50: 1000, p95: 1000 },
    ]);
    expect(week.syncOutcomes).toEqual([
      { result: 'created', count: 3 },
      { result: 'duplicate', count: 1 },
      { result: 'conflict', count: 0 },
      { result: 'rejected', count: 1 },
      { result: 'failed', count: 2 },
    ]);
    expect(week.offlineRecoveryRate).toBeCloseTo(4 / 6, 10);
    expect(week.people).toBe(2);

    const month = await summary(priya, 30);
    expect(month.kinds.find((k) => k.kind === 'reconnect')?.count).toBe(2);
  });

  it('is for admins only, and bounds the period', async () => {
    for (const who of [ari, maya, victor]) {
      expect((await who.get('/api/v1/telemetry/capture/summary')).status).toBe(403);
    }
    expect((await priya.get('/api/v1/telemetry/capture/summary?days=91')).status).toBe(400);
    const empty = await priya.get('/api/v1/telemetry/capture/summary?days=1');
    expect(empty.status).toBe(200);
  });
});

describe('ingesting a batch', () => {
  it('stores each event once across resends, as the signed-in person, and moves the metrics only for new events', async () => {
    const batch = [
      event('sync_outcome', 1, { result: 'conflict' }),
      event('tap_to_saved_ms', 1500, { mode: 'offline' }),
      event('reconnect', 1),
      event('offline_duration_ms', 120_000),
    ];
    const before = {
      conflicts: metric('bi_capture_sync_items_total', { result: 'conflict' }),
      reconnects: metric('bi_capture_reconnects_total'),
      offlineTaps: metric('bi_capture_tap_to_saved_seconds', { mode: 'offline' }),
      offlineTapSeconds: histogramSum('bi_capture_tap_to_saved_seconds', { mode: 'offline' }),
      offlineFor: histogramSum('bi_capture_offline_duration_seconds'),
      events: metric('bi_capture_telemetry_events_total', { kind: 'reconnect' }),
    };

    expect(await send(victor, batch)).toEqual({ accepted: 4, duplicates: 0 });
    expect(await send(victor, batch)).toEqual({ accepted: 0, duplicates: 4 });
    const extra = event('sync_outcome', 1, { result: 'conflict' });
    expect(await send(victor, [...batch, extra, extra])).toEqual({ accepted: 1, duplicates: 5 });

    const rows = await db()
      .select()
      .from(clientTelemetry)
      .where(
        inArray(
          clientTelemetry.id,
          [...batch, extra].map((e) => e.id),
        ),
      );
    expect(rows).toHaveLength(5);
    const victorId = (await victor.json<{ person: { id: string } }>('/api/v1/me')).person.id;
    expect(new Set(rows.map((r) => r.personId))).toEqual(new Set([victorId]));
    expect(rows.every((r) => r.appVersion === '1.4.0+abc123')).toBe(true);

    expect({
      conflicts: metric('bi_capture_sync_items_total', { result: 'conflict' }) - before.conflicts,
      reconnects: metric('bi_capture_reconnects_total') - before.reconnects,
      offlineTaps: metric('bi_capture_tap_to_saved_seconds', { mode: 'offline' }) - before.offlineTaps,
      offlineTapSeconds:
        histogramSum('bi_capture_tap_to_saved_seconds', { mode: 'offline' }) - before.offlineTapSeconds,
      offlineFor: histogramSum('bi_capture_offline_duration_seconds') - before.offlineFor,
      events: metric('bi_capture_telemetry_events_total', { kind: 'reconnect' }) - before.events,
    }).toEqual({
      conflicts: 2,
      reconnects: 1,
      offlineTaps: 1,
      offlineTapSeconds: 1.5,
      offlineFor: 120,
      events: 1,
    });

    const buckets = snapshot()
      .find((m) => m.name === 'bi_capture_tap_to_saved_seconds')
      ?.samples.find((s) => s.labels.mode === 'offline')?.histogram?.buckets;
    // Cumulative buckets: 1.0 s (from the summary test) is within le=1; 1.5 s only from le=2.5 on.
    expect(
      [0.5, 1, 2.5, Number.POSITIVE_INFINITY].map((le) => buckets?.find((b) => b.le === le)?.count),
    ).toEqual([0, 1, 2, 2]);
  });

  it('never takes the person from the body', async () => {
    const response = await ari.post('/api/v1/telemetry/capture', {
      appVersion: '1.4.0',
      personId: randomUUID(),
      events: [event('reconnect', 1)],
    });
    expect(response.status).toBe(400);
  });

  it('refuses the whole batch with 400 naming the field, storing nothing', async () => {
    const good = event('reconnect', 1);
    const tooMany = Array.from({ length: LIMITS.telemetryBatchMax + 1 }, () => event('reconnect', 1));
    const cases: { events: unknown[]; field: string | null }[] = [
      { events: [good, event('battery_level', 1)], field: 'body.events.1.kind' },
      { events: tooMany, field: 'body.events' },
      {
        events: [good, event('reconnect', 1, {}, new Date(Date.now() - 8 * 86_400_000).toISOString())],
        field: 'body.events[1].at',
      },
      {
        events: [event('reconnect', 1, {}, new Date(Date.now() + 10 * 60_000).toISOString()), good],
        field: 'body.events[0].at',
      },
      {
        events: [good, event('sync_outcome', 1, { result: 'exploded' })],
        field: 'body.events[1].attrs.result',
      },
      { events: [event('sync_outcome', 1)], field: 'body.events[0].attrs.result' },
      { events: [event('tap_to_saved_ms', 300, { mode: 'sideways' })], field: 'body.events[0].attrs.mode' },
      { events: [event('app_start', 1, { standalone: 'maybe' })], field: 'body.events[0].attrs.standalone' },
      { events: [event('queue_depth', -1)], field: 'body.events.0.value' },
    ];
    const before = await countRows();
    const eventsBefore = metric('bi_capture_telemetry_events_total', { kind: 'reconnect' });
    for (const { events, field } of cases) {
      const problem = await send(ari, events, 400);
      expect(problem.errors?.map((e) => e.field)).toContain(field);
    }
    expect(await countRows()).toBe(before);
    expect(metric('bi_capture_telemetry_events_total', { kind: 'reconnect' })).toBe(eventsBefore);
  });
});
