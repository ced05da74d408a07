import type { Db } from '../db/client.ts';
import { recordIdpReachable, recordIdpUnreachable } from '../modules/break-glass/idp-health.ts';
import type { OidcClient } from '../modules/identity/identity.oidc.ts';
import { cleanupExpired } from './cleanup.ts';

/** What a job may use beyond the database. */
export interface JobServices {
  oidc: OidcClient | null;
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
];
