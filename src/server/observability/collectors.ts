import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/client.ts';
import { JOBS } from '../jobs/catalog.ts';
import { registerAuditCollectors } from '../modules/audit/audit.metrics.ts';
import { registerOrgSourceCollectors } from '../modules/directory/org-status.metrics.ts';
import { counter, gauge, registerCollector } from './metrics.ts';

/**
 * Every scrape-time collector, registered once per app (the last app built in a process wins, which only
 * matters to tests that build several): scheduled-job health from job_runs, the connection pool, the process
 * and runtime, the build, and the domain collectors (audit chain, org sources).
 */
const jobLastSuccess = gauge(
  'bi_job_last_success_timestamp_seconds',
  'When the latest successful run of a scheduled job finished (Unix seconds; 0 = never). Read from job_runs at scrape time.',
);
const jobLastFailure = gauge(
  'bi_job_last_failure_timestamp_seconds',
  'When the latest failed run of a scheduled job finished (Unix seconds; 0 = never). Read from job_runs at scrape time.',
);
const poolConnections = gauge(
  'bi_db_pool_connections',
  'Database connections by state: total open, idle, and callers waiting for one (PGlite: one connection).',
);
const poolMax = gauge('bi_db_pool_max', 'The largest number of connections the pool may open.');
const residentMemory = gauge(
  'process_resident_memory_bytes',
  'Resident memory size of the process in bytes.',
);
const heapUsed = gauge('process_heap_bytes', 'Bytes of the V8 heap in use.');
const startTime = gauge('process_start_time_seconds', 'When the process started (Unix seconds).');
const cpuSeconds = counter(
  'process_cpu_seconds_total',
  'User and system CPU time the process used, in seconds.',
);
const eventLoopP99 = gauge(
  'nodejs_eventloop_delay_p99_seconds',
  'The 99th percentile of event-loop delay since the previous scrape, in seconds.',
);
const buildInfo = gauge('bi_build_info', 'Always 1; the labels name the running version and environment.');

/** The event-loop delay histogram: one per process, sampling every 20 ms. */
let loopDelay: ReturnType<typeof monitorEventLoopDelay> | null = null;
/** CPU microseconds already added to process_cpu_seconds_total (the counter only goes up by the difference). */
let cpuCounted = 0;

/** Latest success and failure per catalog job: one query, index-backed per job and outcome. */
export async function refreshJobGauges(database: Database): Promise<void> {
  const names = JOBS.map((job) => job.name);
  if (names.length === 0) return;
  const latest = (outcome: 'success' | 'failure') => sql`(
    select extract(epoch from r.finished_at)::float8 from job_runs r
    where r.job = j.job and r.outcome = ${outcome} order by r.started_at desc limit 1)`;
  const rows = await queryRows<{ job: string; success: number | null; failure: number | null }>(
    database.db,
    sql`select j.job, ${latest('success')} as success, ${latest('failure')} as failure
        from unnest(array[${sql.join(
          names.map((name) => sql`${name}`),
          sql`, `,
        )}]::text[]) as j(job)`,
  );
  for (const row of rows) {
    jobLastSuccess.set({ job_name: row.job }, Number(row.success ?? 0));
    jobLastFailure.set({ job_name: row.job }, Number(row.failure ?? 0));
  }
}

/** Pool, process and runtime gauges: no I/O. */
export function refreshRuntimeGauges(database: Database): void {
  const pool = database.poolStats();
  poolConnections.set({ state: 'total' }, pool.total);
  poolConnections.set({ state: 'idle' }, pool.idle);
  poolConnections.set({ state: 'waiting' }, pool.waiting);
  poolMax.set({}, pool.max);

  residentMemory.set({}, process.memoryUsage.rss());
  heapUsed.set({}, process.memoryUsage().heapUsed);
  startTime.set({}, Math.round(performance.timeOrigin) / 1000);
  const cpu = process.cpuUsage();
  const total = cpu.user + cpu.system;
  if (total > cpuCounted) {
    cpuSeconds.inc({}, (total - cpuCounted) / 1e6);
    cpuCounted = total;
  }
  if (!loopDelay) return;
  const p99 = loopDelay.count > 0 ? loopDelay.percentile(99) / 1e9 : 0;
  eventLoopP99.set({}, Number.isFinite(p99) ? p99 : 0);
  loopDelay.reset();
}

export function registerCollectors(
  database: Database,
  now: () => Date,
  build: { version: string; env: string },
): void {
  if (!loopDelay) {
    loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
  }
  buildInfo.set({ version: build.version, env: build.env }, 1);
  registerCollector('jobs', () => refreshJobGauges(database));
  registerCollector('runtime', () => refreshRuntimeGauges(database));
  registerAuditCollectors(database.db, now);
  registerOrgSourceCollectors(database.db, now);
}
