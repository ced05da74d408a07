import { startStack } from '../../test/helpers/stack.ts';
import { type BenchContext, percentile, type Scenario } from '../harness.ts';
import { startBareCapture } from '../support/bare.ts';
import {
  type Answer,
  type Capturer,
  Client,
  captureBody,
  closedLoop,
  type LoopResult,
  openLoop,
  resetRateLimits,
  signInCapturers,
} from '../support/load.ts';

/**
 * Capture write through the real app: POST /api/v1/insights with a signed-in session (cookie + CSRF header),
 * so every request pays session lookup, the rate-limit counter, CSRF, zod validation, the idempotent insert,
 * authorization, the audit event (hash-chained) and reading the insight back. Baseline in the same process,
 * database and run: a bare Fastify instance (no plugins) with one route doing the same INSERT into insights
 * (same columns) through the same database client.
 *
 * The load client runs in the same process (node:http keep-alive, cheap). Requests rotate over the demo
 * capturers (10 people) because the write budget is 120 a minute per person; the PostgreSQL rate-limit windows
 * are cleared between phases (each phase starts a fresh window, as it would a minute later).
 */

const CONCURRENCY = 16;
const created = (answer: Answer) => answer.status === 201;

async function captureStack(context: BenchContext) {
  const stack = await startStack();
  const db = stack.db.database.db;
  try {
    const capturers = await signInCapturers(stack, db);
    const ours = new Client(stack.baseUrl);
    const bare = await startBareCapture(
      db,
      capturers.map((c) => c.personId),
    );
    const bareClient = new Client(bare.url);
    const sendOurs = (i: number) => {
      const who = capturers[i % capturers.length] as Capturer;
      return ours.request('POST', '/api/v1/insights', JSON.stringify(captureBody(i)), who.headers);
    };
    const sendBare = (i: number) => bareClient.request('POST', '/insights', JSON.stringify(captureBody(i)));
    const resetLimits = async () => {
      if (context.database === 'postgres') await resetRateLimits(db);
    };
    return {
      stack,
      capturers,
      sendOurs,
      sendBare,
      resetLimits,
      async close() {
        ours.close();
        bareClient.close();
        await bare.app.close();
        await stack.close();
      },
    };
  } catch (err) {
    await stack.close();
    throw err;
  }
}

function check(label: string, result: LoopResult) {
  if (result.failures > 0)
    throw new Error(`${label}: ${result.failures} request(s) failed, first: ${result.firstFailure}`);
}

const fmt = (ms: number) => ms.toFixed(2);

export const captureWrite: Scenario = {
  name: 'capture-write',
  description: `POST /api/v1/insights, full session stack, ${CONCURRENCY} in flight, vs a bare Fastify INSERT route`,
  target: {
    kind: 'ratio_max',
    value: 2,
    note: 'ms per request (throughput ≥ 0.5× the bare route)',
  },
  async run(context) {
    // PGlite's in-memory rate-limit store cannot be reset: stay inside one window of 10 × 120 writes.
    const n = context.smoke
      ? context.database === 'postgres'
        ? 200
        : 100
      : context.database === 'postgres'
        ? 1000
        : 400;
    const warmup = context.smoke ? 50 : 100;
    const rounds = context.smoke ? 1 : 2;
    const bench = await captureStack(context);
    try {
      check('warm-up (ours)', await closedLoop(warmup, CONCURRENCY, bench.sendOurs, created));
      check('warm-up (bare)', await closedLoop(warmup, CONCURRENCY, bench.sendBare, created));
      const ours: LoopResult[] = [];
      const bare: LoopResult[] = [];
      for (let round = 0; round < rounds; round += 1) {
        await bench.resetLimits();
        const a = await closedLoop(n, CONCURRENCY, bench.sendOurs, created);
        check('ours', a);
        ours.push(a);
        const b = await closedLoop(n, CONCURRENCY, bench.sendBare, created);
        check('bare', b);
        bare.push(b);
      }
      const perRequest = (results: LoopResult[]) =>
        results.reduce((sum, r) => sum + r.elapsedMs, 0) /
        results.reduce((sum, r) => sum + r.latencies.length, 0);
      const oursMs = perRequest(ours);
      const bareMs = perRequest(bare);
      const oursLat = ours.flatMap((r) => r.latencies);
      const bareLat = bare.flatMap((r) => r.latencies);
      context.log(
        `ours ${(1000 / oursMs).toFixed(0)} req/s (p50 ${fmt(percentile(oursLat, 50))} ms, p99 ${fmt(percentile(oursLat, 99))} ms); ` +
          `bare ${(1000 / bareMs).toFixed(0)} req/s (p50 ${fmt(percentile(bareLat, 50))} ms, p99 ${fmt(percentile(bareLat, 99))} ms)`,
      );
      return {
        ours: oursMs,
        baseline: bareMs,
        unit: 'ms/req',
        details:
          `${rounds}×${n} captures at ${CONCURRENCY} in flight, ${bench.capturers.length} signed-in people; ` +
          `ours ${(1000 / oursMs).toFixed(0)} req/s vs bare ${(1000 / bareMs).toFixed(0)} req/s ` +
          `(throughput ratio ${(bareMs / oursMs).toFixed(2)}×, target ≥ 0.5×)` +
          (context.database === 'pglite' ? '; PGlite: one connection, scaled down' : ''),
      };
    } finally {
      await bench.close();
    }
  },
};

export const captureWriteP99: Scenario = {
  name: 'capture-write-p99',
  description:
    'POST /api/v1/insights at a fixed 200 req/s (open loop), p99 latency, vs the bare INSERT route',
  target: { kind: 'absolute_max', value: 25, unit: 'ms', note: 'p99 at 200 req/s on PostgreSQL' },
  async run(context) {
    // PGlite (one in-process connection) cannot sustain 200 captures a second; the target is PostgreSQL's.
    const rate = context.database === 'postgres' ? 200 : 50;
    const durationMs = context.smoke ? 2000 : 5000;
    const bench = await captureStack(context);
    try {
      check('warm-up (ours)', await closedLoop(100, CONCURRENCY, bench.sendOurs, created));
      check('warm-up (bare)', await closedLoop(100, CONCURRENCY, bench.sendBare, created));
      await bench.resetLimits();
      const ours = await openLoop(rate, durationMs, bench.sendOurs, created);
      check('ours', ours);
      const bare = await openLoop(rate, durationMs, bench.sendBare, created);
      check('bare', bare);
      const p99 = percentile(ours.latencies, 99);
      const base99 = percentile(bare.latencies, 99);
      context.log(
        `ours p50 ${fmt(percentile(ours.latencies, 50))} ms, p99 ${fmt(p99)} ms, max ${fmt(Math.max(...ours.latencies))} ms; ` +
          `bare p50 ${fmt(percentile(bare.latencies, 50))} ms, p99 ${fmt(base99)} ms`,
      );
      return {
        ours: p99,
        baseline: base99,
        unit: 'ms',
        details:
          `p99 of ${ours.latencies.length} captures at ${rate} req/s open loop (from scheduled start) vs the bare ` +
          `INSERT route at the same rate; pool of 5 connections` +
          (context.database === 'pglite' ? '; PGlite at 50 req/s: the target is judged on PostgreSQL' : ''),
      };
    } finally {
      await bench.close();
    }
  },
};
