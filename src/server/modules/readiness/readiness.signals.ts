import { hostname } from 'node:os';
import type { Db } from '../../db/client.ts';
import { onScrape } from '../../observability/metrics-server.ts';
import { METRICS_SCRAPED_SIGNAL } from './readiness.gates.telemetry.ts';
import { MINUTE } from './readiness.gates.ts';
import { upsertSignal } from './readiness.repo.ts';

/** At most one write per process per minute, however often Prometheus (or several of them) scrapes. */
export const SCRAPE_SIGNAL_EVERY_MS = MINUTE;
let lastWrittenAt = 0;

/** Forget the throttle (tests that scrape again within a minute). */
export function resetScrapeThrottle(): void {
  lastWrittenAt = 0;
}

/**
 * Record `metrics.scraped` (the telemetry.metrics_scraped gate reads it) after a successful scrape: the proof
 * that the monitoring system reaches this service, not just that it exposes metrics.
 */
export function recordScrapes(db: Db, now: () => Date, instance: string | undefined): void {
  onScrape('readiness', async () => {
    const at = now();
    if (at.getTime() - lastWrittenAt < SCRAPE_SIGNAL_EVERY_MS) return;
    lastWrittenAt = at.getTime();
    await upsertSignal(db, METRICS_SCRAPED_SIGNAL, at, {
      instance: instance ?? hostname(),
      pid: process.pid,
    });
  });
}
