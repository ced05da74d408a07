import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { expireExceptions } from '../modules/access/exceptions.job.ts';
import { remindReviewers } from '../modules/access-reviews/access-reviews.reminders.ts';
import { auditArchiveJob, auditCheckpointJob, auditVerifyJob } from '../modules/audit/audit.jobs.ts';
import { recordIdpReachable, recordIdpUnreachable } from '../modules/break-glass/idp-health.ts';
import { runWeeklyDigest } from '../modules/digest/digest.job.ts';
import { checkOrgStaleness } from '../modules/directory/org-status.service.ts';
import type { OidcClient } from '../modules/identity/identity.oidc.ts';
import { readinessSnapshotJob } from '../modules/readiness/readiness.job.ts';
import { cleanupExpired } from './cleanup.ts';

/** What a job may use beyond the database. */
export interface JobServices {
  oidc: OidcClient | null;
  /** The process's validated configuration (null in tests of jobs that need none). */
  config: Config | null;
}

export interface Job {
  name: string;
  description: string;
  everyMs: number;
  run(db: Db, now: Date, services: JobServices): Promise<Record<string, unknown>>;
}

/**
 * Ask the identity provider for its discovery document and record the answer: the break-glass gate counts an
 * outage from the first failed probe, so it must run even when nobody is signing in.
 */
async function probeIdp(db: Db, now: Date, services: JobServices) {
  if (!services.oidc) return { skipped: 'no identity provider configured' };
  const reachable = await services.oidc.probe();
  if (reachable) await recordIdpReachable(db, now);
  else await recordIdpUnreachable(db, now, 'discovery failed (idp-probe job)');
  return { reachable };
}

/** Every scheduled job: the same list runs in-process (JOBS=in-process) and from `bi jobs run <name>`. */
export const JOBS: readonly Job[] = [
  {
    name: 'cleanup',
    description:
      'delete expired sessions, abandoned sign-in flows, finished rate-limit windows, old logout-token ids, product-usage rows older than 400 days and job runs older than 30 days',
    everyMs: 15 * 60 * 1000,
    run: async (db, now) => ({ ...(await cleanupExpired(db, now)) }),
  },
  {
    name: 'idp-probe',
    description:
      "check the identity provider's discovery endpoint (break-glass opens after a sustained outage)",
    everyMs: 60 * 1000,
    run: probeIdp,
  },
  {
    name: 'org-staleness',
    description:
      'check each org source (SCIM, HR feed) against its maximum staleness and report which are stale',
    everyMs: 5 * 60 * 1000,
    run: checkOrgStaleness,
  },
  {
    name: 'exception-expiry',
    description:
      'mark access exceptions (and undecided requests) that reached their expiry as expired, audited one by one',
    everyMs: 60 * 1000,
    run: async (db, now) => ({ ...(await expireExceptions(db, now)) }),
  },
  {
    name: 'access-review-reminders',
    description:
      'flag undecided access review items of campaigns due within 3 days or overdue (at most once a day per item)',
    everyMs: 60 * 60 * 1000,
    run: async (db, now) => ({ ...(await remindReviewers(db, now)) }),
  },
  {
    name: 'weekly-digest',
    description:
      'post the previous ISO week to the Slack team channel once the configured day/hour passed (at most once a week; up to 3 attempts)',
    everyMs: 60 * 60 * 1000,
    // The server and `bi jobs run` pass the configuration they validated at start-up.
    run: async (db, now, services) =>
      services.config
        ? { ...(await runWeeklyDigest(db, now, services.config)) }
        : { skipped: 'no configuration' },
  },
  {
    name: 'audit-checkpoint',
    description:
      "sign the audit chain's head (Ed25519) once AUDIT_CHECKPOINT_MINUTES have passed since the last checkpoint and the head moved",
    everyMs: 60 * 1000,
    run: (db, now, services) => auditCheckpointJob(db, now, services.config),
  },
  {
    name: 'audit-verify',
    description:
      'verify the whole audit chain and its signed checkpoints; the result is recorded and exported as metrics',
    everyMs: 60 * 60 * 1000,
    run: (db, now, services) => auditVerifyJob(db, now, services.config),
  },
  {
    name: 'audit-archive',
    description:
      'write audit events older than AUDIT_HOT_DAYS to signed OCSF JSON Lines segments in AUDIT_ARCHIVE_DIR (deletes nothing)',
    everyMs: 24 * 60 * 60 * 1000,
    run: (db, now, services) => auditArchiveJob(db, now, services.config),
  },
  {
    name: 'readiness-snapshot',
    description:
      'evaluate the readiness model (docs/readiness.md) and keep the verdict and every gate as a snapshot (audited)',
    everyMs: 24 * 60 * 60 * 1000,
    run: (db, now, services) => readinessSnapshotJob(db, now, services.config),
  },
];
