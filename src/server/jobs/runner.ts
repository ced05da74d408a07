import { SpanKind } from '@opentelemetry/api';
import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { jobRuns } from '../db/schema.ts';
import { counter, histogram } from '../observability/metrics.ts';
import { getTracer, recordFailure } from '../observability/tracing.ts';
import type { Job, JobServices } from './catalog.ts';

/**
 * Runs one scheduled job the same way wherever it is started (the in-process scheduler or `bi jobs run` from a
 * CronJob): a job_runs row (running, then success or failure with a short message), a root span `job {name}`
 * that the job's queries nest under, the bi_job_runs_total counter and bi_job_duration_seconds histogram, and a
 * log line when it starts and when it ends.
 */
export type JobTrigger = 'in-process' | 'cli';

export interface JobLog {
  info(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface JobRunOutcome {
  /** The job_runs row (null when even the row could not be written). */
  runId: string | null;
  outcome: 'success' | 'failure';
  durationMs: number;
  result?: Record<string, unknown>;
  /** A short message (first line, at most 500 characters, no stack). */
  error?: string;
}

export const JOB_RUN_RETENTION_DAYS = 30;
const ERROR_MAX = 500;

export const jobRunsTotal = counter(
  'bi_job_runs_total',
  'Scheduled job runs by job and outcome (success, failure), counted by the process that ran them.',
);
export const jobDuration = histogram(
  'bi_job_duration_seconds',
  'How long scheduled job runs took, by job.',
  [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
);

/** The first line of an error's message, bounded: what an operator sees in job_runs (stacks stay in logs). */
export function shortError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n', 1)[0]?.trim() || (err instanceof Error ? err.name : 'Error');
  return first.length > ERROR_MAX ? `${first.slice(0, ERROR_MAX - 1)}…` : first;
}

const silent: JobLog = { info() {}, error() {} };

export async function runJob(
  job: Job,
  db: Db,
  services: JobServices,
  trigger: JobTrigger,
  options: { log?: JobLog; now?: () => Date } = {},
): Promise<JobRunOutcome> {
  const log = options.log ?? silent;
  const now = options.now ?? (() => new Date());
  return getTracer().startActiveSpan(
    `job ${job.name}`,
    {
      root: true,
      kind: SpanKind.INTERNAL,
      attributes: { 'bi.job.name': job.name, 'bi.job.trigger': trigger },
    },
    async (span): Promise<JobRunOutcome> => {
      const startedAt = now();
      const t0 = performance.now();
      const elapsed = () => Math.round((performance.now() - t0) * 10) / 10;
      let runId: string | null = null;
      log.info({ job: job.name, trigger }, 'job started');
      try {
        const [row] = await db
          .insert(jobRuns)
          .values({ job: job.name, trigger, startedAt, outcome: 'running' })
          .returning({ id: jobRuns.id });
        runId = row?.id ?? null;
        const result = await job.run(db, startedAt, services);
        if (runId)
          await db
            .update(jobRuns)
            .set({ finishedAt: now(), outcome: 'success', result })
            .where(eq(jobRuns.id, runId));
        const durationMs = elapsed();
        jobRunsTotal.inc({ job_name: job.name, outcome: 'success' });
        jobDuration.observe({ job_name: job.name }, durationMs / 1000);
        log.info({ job: job.name, trigger, outcome: 'success', durationMs, result }, 'job completed');
        return { runId, outcome: 'success', durationMs, result };
      } catch (err) {
        const error = shortError(err);
        recordFailure(span, err);
        if (runId) {
          const id = runId;
          await db
            .update(jobRuns)
            .set({ finishedAt: now(), outcome: 'failure', error })
            .where(eq(jobRuns.id, id))
            .catch((writeErr: unknown) =>
              log.error({ job: job.name, runId: id, err: writeErr }, 'job run could not be recorded'),
            );
        }
        const durationMs = elapsed();
        jobRunsTotal.inc({ job_name: job.name, outcome: 'failure' });
        jobDuration.observe({ job_name: job.name }, durationMs / 1000);
        log.error({ job: job.name, trigger, outcome: 'failure', durationMs, err }, 'job failed');
        return { runId, outcome: 'failure', durationMs, error };
      } finally {
        span.end();
      }
    },
  );
}

/** Delete job_runs rows started more than JOB_RUN_RETENTION_DAYS days before `now` (the cleanup job calls it). */
export async function pruneJobRuns(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - JOB_RUN_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const deleted = await db.delete(jobRuns).where(lt(jobRuns.startedAt, before)).returning({ id: jobRuns.id });
  return deleted.length;
}
