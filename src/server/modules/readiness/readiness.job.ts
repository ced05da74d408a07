import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { systemContext } from '../identity/actor.ts';
import { takeSnapshot } from './readiness.service.ts';

/**
 * The daily `readiness-snapshot` job: evaluate the readiness model and keep it as a snapshot (trigger "job"), so
 * the history shows how the verdict moved even on days nobody looked.
 */
export async function readinessSnapshotJob(
  db: Db,
  now: Date,
  config: Config | null,
): Promise<Record<string, unknown>> {
  if (!config) return { skipped: 'no configuration' };
  const { id, report } = await takeSnapshot(
    { db, now: () => now, config },
    systemContext('job:readiness-snapshot'),
    'job',
  );
  return { snapshotId: id, verdict: report.verdict, environment: report.environment, ...report.counts };
}
