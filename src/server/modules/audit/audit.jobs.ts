import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { appVersion } from '../../runtime.ts';
import { archiveAuditEvents } from './audit.archive.ts';
import { checkpointIfDue } from './audit.checkpoints.ts';
import { resolveSigningKey, resolveVerifyKeys } from './audit.keys.ts';
import { runVerification } from './audit.verify.ts';

/** The scheduled audit jobs (catalog: src/server/jobs/catalog.ts). Each needs the configuration's keys. */
export const DEFAULT_CHECKPOINT_MINUTES = 15;

/** `audit-checkpoint`: sign the head when AUDIT_CHECKPOINT_MINUTES have passed since the last checkpoint. */
export function auditCheckpointJob(db: Db, now: Date, config: Config | null) {
  return checkpointIfDue(
    db,
    now,
    config?.audit.checkpointMinutes ?? DEFAULT_CHECKPOINT_MINUTES,
    config ? () => resolveSigningKey(config) : null,
  );
}

/** `audit-verify`: a full verification, recorded in audit_verifications (trigger job). */
export async function auditVerifyJob(db: Db, now: Date, config: Config | null) {
  if (!config) return { skipped: 'no configuration (no verification keys)' };
  const { result } = await runVerification(db, resolveVerifyKeys(config), 'job', () => now);
  return {
    ok: result.ok,
    events: result.checked,
    checkpoints: result.checkpointsChecked,
    ...(result.problem ? { problemSeq: result.problem.seq, problemKind: result.problem.kind } : {}),
  };
}

/** `audit-archive`: write events older than AUDIT_HOT_DAYS to signed archive segments (deletes nothing). */
export async function auditArchiveJob(db: Db, now: Date, config: Config | null) {
  if (!config) return { skipped: 'no configuration (no archive directory or signing key)' };
  return archiveAuditEvents({
    db,
    key: resolveSigningKey(config),
    archiveDir: config.audit.archiveDir,
    hotDays: config.audit.hotDays,
    productVersion: appVersion(),
    now,
  });
}
