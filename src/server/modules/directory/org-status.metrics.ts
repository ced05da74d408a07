import type { Db } from '../../db/client.ts';
import { counter, gauge, registerCollector } from '../../observability/metrics.ts';
import { orgSourceHealth } from './org-status.service.ts';

/**
 * Org-source freshness read from the database at scrape time (every replica shows the same truth, whichever
 * process last synced the source), and the HR feed's apply runs counted where they end.
 */
export const orgSourceStale = gauge(
  'bi_org_source_stale',
  'Whether an org source (scim, hr) is stale: 1 stale, 0 fresh or disabled. Read from org_sources at scrape time.',
);
export const orgSourceLastSuccessAge = gauge(
  'bi_org_source_last_success_age_seconds',
  'Seconds since the org source last synced successfully (-1: never). Read from org_sources at scrape time.',
);
export const hrFeedRuns = counter(
  'bi_hr_feed_runs_total',
  'HR-feed imports applied (success) or whose apply failed and wrote nothing (failure).',
);

export function countHrFeedRun(outcome: 'success' | 'failure'): void {
  hrFeedRuns.inc({ outcome });
}

/** Set both gauges for every org source from the same assessment the admin banner and readiness use. */
export async function refreshOrgSourceGauges(db: Db, now: Date): Promise<void> {
  for (const h of await orgSourceHealth(db, now)) {
    const age = h.lastSuccessAt ? Math.round((now.getTime() - h.lastSuccessAt.getTime()) / 1000) : -1;
    orgSourceStale.set({ source: h.source }, h.stale ? 1 : 0);
    orgSourceLastSuccessAge.set({ source: h.source }, age);
  }
}

export function registerOrgSourceCollectors(db: Db, now: () => Date): void {
  registerCollector('org-sources', () => refreshOrgSourceGauges(db, now()));
}
