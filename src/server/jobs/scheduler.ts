import { inArray, max } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { jobRuns } from '../db/schema.ts';
import type { Job, JobServices } from './catalog.ts';
import { type JobLog, runJob } from './runner.ts';

/** How often the scheduler looks for due jobs, and how long after start it first looks. */
const TICK_MS = 30_000;
const FIRST_TICK_MS = 5_000;

/**
 * When each job last started (any trigger), from job_runs: a job is due when its interval has passed since then.
 * Reading the record rather than counting from process start means a daily job still runs on a process that
 * restarts more often than daily, and a job a CronJob just ran is not repeated in-process.
 */
async function lastStarts(db: Db, jobs: readonly Job[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ job: jobRuns.job, last: max(jobRuns.startedAt) })
    .from(jobRuns)
    .where(
      inArray(
        jobRuns.job,
        jobs.map((j) => j.name),
      ),
    )
    .groupBy(jobRuns.job);
  return new Map(rows.map((r) => [r.job, r.last ? new Date(r.last).getTime() : 0]));
}

/**
 * Runs jobs in-process when they are due (the embedded default; in Kubernetes CronJobs call `bi jobs run`).
 * Each run goes through runJob (job_runs row, span, metrics, log lines). A job never overlaps itself, a failure
 * is recorded and retried when its interval has passed again, and timers do not keep the process alive. The
 * returned stop function clears the timer and resolves once the runs in flight have finished, or after `waitMs`
 * (default 10 s) at most (shutdown waits for it before closing the database).
 */
export function startScheduler(
  jobs: readonly Job[],
  db: Db,
  log: JobLog,
  services: JobServices,
  options: { tickMs?: number; firstTickMs?: number; now?: () => Date } = {},
): (waitMs?: number) => Promise<void> {
  const now = options.now ?? (() => new Date());
  const inFlight = new Map<string, Promise<unknown>>();
  let stopped = false;

  const tick = async () => {
    let starts: Map<string, number>;
    try {
      starts = await lastStarts(db, jobs);
    } catch (err) {
      log.error({ err }, 'scheduler could not read job runs; trying again at the next tick');
      return;
    }
    for (const job of jobs) {
      if (stopped || inFlight.has(job.name)) continue;
      if (now().getTime() - (starts.get(job.name) ?? 0) < job.everyMs) continue;
      const run = runJob(job, db, services, 'in-process', { log }).finally(() => inFlight.delete(job.name));
      inFlight.set(job.name, run);
    }
  };

  const first = setTimeout(() => void tick(), options.firstTickMs ?? FIRST_TICK_MS);
  first.unref();
  const timer = setInterval(() => void tick(), options.tickMs ?? TICK_MS);
  timer.unref();
  return async (waitMs = 10_000) => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...inFlight.values()]),
      new Promise((resolve) => {
        timeout = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timeout);
  };
}
