import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';
import { jobRuns } from '../../src/server/db/schema.ts';
import type { Job } from '../../src/server/jobs/catalog.ts';
import { jobDuration, jobRunsTotal, pruneJobRuns, runJob } from '../../src/server/jobs/runner.ts';
import { startScheduler } from '../../src/server/jobs/scheduler.ts';
import { initTracing, type Tracing } from '../../src/server/observability/tracing.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let test: TestDatabase;
const lines: { level: 'info' | 'error'; obj: Record<string, unknown>; msg: string }[] = [];
const log = {
  info: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'info', obj, msg }),
  error: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'error', obj, msg }),
};
const services = { oidc: null, config: null };

beforeAll(async () => {
  tracing = initTracing(loadConfig({ NODE_ENV: 'test' }), 'test', { exporter });
  test = await createTestDatabase();
});
afterAll(async () => {
  await tracing?.shutdown();
  await test?.drop();
});

const job = (name: string, run: Job['run']): Job => ({ name, description: name, everyMs: 60_000, run });

describe('runJob', () => {
  it('records a successful run: job_runs row, root span with its queries, counters and log lines', async () => {
    const ok = job('test-ok', async (db) => {
      await db.execute(sql`select 1`);
      return { checked: 1 };
    });
    const before = jobRunsTotal.value({ job_name: 'test-ok', outcome: 'success' });
    const run = await runJob(ok, test.database.db, services, 'cli', { log });
    expect(run).toMatchObject({ outcome: 'success', result: { checked: 1 } });

    const [row] = await test.database.db
      .select()
      .from(jobRuns)
      .where(eq(jobRuns.id, run.runId ?? ''));
    expect(row).toMatchObject({ job: 'test-ok', trigger: 'cli', outcome: 'success', error: null });
    expect(row?.result).toEqual({ checked: 1 });
    expect(row?.finishedAt?.getTime()).toBeGreaterThanOrEqual(row?.startedAt.getTime() ?? Infinity);

    const span = exporter.getFinishedSpans().find((s) => s.name === 'job test-ok');
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.attributes).toMatchObject({ 'bi.job.name': 'test-ok', 'bi.job.trigger': 'cli' });
    const children = exporter
      .getFinishedSpans()
      .filter(
        (s) => s.kind === SpanKind.CLIENT && s.parentSpanContext?.spanId === span?.spanContext().spanId,
      );
    expect(children.map((s) => s.attributes['db.query.text'])).toContain('select 1');
    expect(children.some((s) => String(s.attributes['db.query.text']).includes('"job_runs"'))).toBe(true);

    expect(jobRunsTotal.value({ job_name: 'test-ok', outcome: 'success' })).toBe(before + 1);
    expect(jobDuration.count({ job_name: 'test-ok' })).toBeGreaterThanOrEqual(1);
    expect(lines.filter((l) => l.obj.job === 'test-ok').map((l) => l.msg)).toEqual([
      'job started',
      'job completed',
    ]);
    expect(lines.at(-1)?.obj).toMatchObject({ outcome: 'success', result: { checked: 1 } });
    expect(typeof lines.at(-1)?.obj.durationMs).toBe('number');
  });

  it('records a failure with a short message (no stack) on the row and the span, and counts it', async () => {
    const failing = job('test-fail', async () => {
      throw new Error(`upstream refused\n    at somewhere (file.ts:1:1)\n${'x'.repeat(100)}`);
    });
    const run = await runJob(failing, test.database.db, services, 'in-process', { log });
    expect(run).toMatchObject({ outcome: 'failure', error: 'upstream refused' });
    const [row] = await test.database.db
      .select()
      .from(jobRuns)
      .where(eq(jobRuns.id, run.runId ?? ''));
    expect(row).toMatchObject({
      job: 'test-fail',
      trigger: 'in-process',
      outcome: 'failure',
      error: 'upstream refused',
    });
    expect(row?.finishedAt).toBeInstanceOf(Date);

    const span = exporter.getFinishedSpans().find((s) => s.name === 'job test-fail');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.map((e) => e.name)).toContain('exception');
    expect(jobRunsTotal.value({ job_name: 'test-fail', outcome: 'failure' })).toBe(1);
    expect(jobRunsTotal.value({ job_name: 'test-fail', outcome: 'success' })).toBe(0);
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'job failed', obj: { job: 'test-fail' } });
  });

  it('prunes job_runs older than 30 days', async () => {
    const now = new Date();
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
    await test.database.db.insert(jobRuns).values([
      { job: 'old', trigger: 'cli', startedAt: days(31), finishedAt: days(31), outcome: 'success' },
      { job: 'recent', trigger: 'cli', startedAt: days(29), finishedAt: days(29), outcome: 'success' },
    ]);
    expect(await pruneJobRuns(test.database.db, now)).toBe(1);
    const left = await test.database.db.select({ job: jobRuns.job }).from(jobRuns);
    expect(left.map((r) => r.job)).toContain('recent');
    expect(left.map((r) => r.job)).not.toContain('old');
  });
});

describe('the in-process scheduler', () => {
  it('runs a job when its interval has passed since its last recorded start, whoever ran it', async () => {
    const ran: string[] = [];
    const track = (name: string, everyMs: number): Job => ({
      name,
      description: name,
      everyMs,
      run: async () => {
        ran.push(name);
        return {};
      },
    });
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    // A daily job a CronJob ran an hour ago is not due; one whose last run was 25 hours ago is (a process that
    // restarts more often than daily must still run it); one never run is due at once.
    await test.database.db.insert(jobRuns).values([
      {
        job: 'daily-recent',
        trigger: 'cli',
        startedAt: ago(3_600_000),
        finishedAt: ago(3_600_000),
        outcome: 'success',
      },
      { job: 'daily-old', trigger: 'in-process', startedAt: ago(25 * 3_600_000), outcome: 'failure' },
    ]);
    const jobs = [
      track('daily-recent', 86_400_000),
      track('daily-old', 86_400_000),
      track('never-run', 60_000),
    ];
    const stop = startScheduler(jobs, test.database.db, log, services, { firstTickMs: 0, tickMs: 60_000 });
    await expect.poll(() => ran.length, { timeout: 10_000 }).toBe(2);
    await stop();
    expect(ran.sort()).toEqual(['daily-old', 'never-run']);
    const rows = await test.database.db.select({ job: jobRuns.job, trigger: jobRuns.trigger }).from(jobRuns);
    expect(rows.filter((r) => r.job === 'never-run')).toEqual([{ job: 'never-run', trigger: 'in-process' }]);
  });
});
