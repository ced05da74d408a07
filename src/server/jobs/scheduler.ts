import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Job, JobServices } from './catalog.ts';

/**
 * Runs jobs in-process on a fixed interval (the embedded default; in Kubernetes CronJobs call `bi jobs run`).
 * A job never overlaps itself, a failure is logged and retried on the next tick, and timers do not keep the
 * process alive during shutdown.
 */
export function startScheduler(
  jobs: readonly Job[],
  db: Db,
  log: FastifyBaseLogger,
  services: JobServices,
): () => void {
  const timers = jobs.map((job) => {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      const started = Date.now();
      try {
        const result = await job.run(db, new Date(), services);
        log.info({ job: job.name, durationMs: Date.now() - started, result }, 'job completed');
      } catch (err) {
        log.error({ job: job.name, err }, 'job failed');
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), job.everyMs);
    timer.unref();
    return timer;
  });
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
