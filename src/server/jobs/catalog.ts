import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { expireExceptions } from '../modules/access/exceptions.job.ts';
import { remindReviewers } from '../modules/access-reviews/access-reviews.reminders.ts';
import { recordIdpReachable, recordIdpUnreachable } from '../modules/break-glass/idp-health.ts';
import { runWeeklyDigest } from '../modules/digest/digest.job.ts';
import { checkOrgStaleness } from '../modules/directory/org-status.service.ts';
import type { OidcClient } from '../modules/identity/identity.oidc.ts';
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
      'delete expired sessions, abandoned sign-in flows, finished rate-limit windows and old logout-token ids',
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
      'check each org source (SCIM, HR feed) against its maximum staleness and publish it as metrics',
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
];
