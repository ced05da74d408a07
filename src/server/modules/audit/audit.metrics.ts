import type { Db } from '../../db/client.ts';
import { gauge, registerCollector } from '../../observability/metrics.ts';
import { latestCheckpoint } from './audit.checkpoints.ts';
import { auditHead } from './audit.repo.ts';
import { latestVerification } from './audit.verify.ts';

/**
 * The audit chain's gauges, read from the database at scrape time (a verification run by a CronJob's process
 * shows up in every replica's scrape). Alerting: status 0 pages ("audit verification failed"); a last
 * verification or checkpoint that is too old means the jobs stopped.
 */
const status = gauge(
  'bi_audit_chain_verification_status',
  'Latest audit chain verification: 1 verified, 0 broken, -1 never verified',
);
const lastVerification = gauge(
  'bi_audit_chain_last_verification_timestamp_seconds',
  'When the latest audit chain verification started (Unix seconds; 0 = never)',
);
const lastCheckpoint = gauge(
  'bi_audit_checkpoint_last_timestamp_seconds',
  'When the latest signed audit checkpoint was made (Unix seconds; 0 = never)',
);
const headSeq = gauge('bi_audit_chain_head_seq', 'Sequence number of the newest audit event (0 = none)');

export function registerAuditCollectors(db: Db, _now: () => Date): void {
  registerCollector('audit', async () => {
    const [verification, checkpoint, head] = await Promise.all([
      latestVerification(db),
      latestCheckpoint(db),
      auditHead(db),
    ]);
    status.set({}, verification ? (verification.ok ? 1 : 0) : -1);
    lastVerification.set({}, verification ? verification.startedAt.getTime() / 1000 : 0);
    lastCheckpoint.set({}, checkpoint ? checkpoint.createdAt.getTime() / 1000 : 0);
    headSeq.set({}, head?.seq ?? 0);
  });
}
