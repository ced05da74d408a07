import { lt } from 'drizzle-orm';
import { USAGE_RETENTION_DAYS } from '../../contract/api/analytics.ts';
import type { Db } from '../db/client.ts';
import { rateLimits } from '../db/schema.ts';
import { pruneUsage } from '../modules/analytics/usage.repo.ts';
import { deleteExpiredAuthFlows, deleteExpiredSessions } from '../modules/identity/identity.repo.ts';
import { deleteExpiredJtis } from '../modules/identity/jti.repo.ts';
import { pruneJobRuns } from './runner.ts';

export interface CleanupResult {
  sessions: number;
  authFlows: number;
  rateLimitWindows: number;
  logoutTokenIds: number;
  /** Product-usage facts past their retention (USAGE_RETENTION_DAYS). */
  usageDays: number;
  usageEvents: number;
  /** Scheduled-job run records older than JOB_RUN_RETENTION_DAYS. */
  jobRuns: number;
}

/**
 * Remove what has expired: sessions past their idle or absolute limit, abandoned sign-in flows, finished
 * rate-limit windows, remembered logout-token ids past their expiry, and product-usage facts (usage_days,
 * usage_events) older than USAGE_RETENTION_DAYS days, and job_runs records older than
 * JOB_RUN_RETENTION_DAYS days. Idempotent and safe to run from several places at once.
 * Sessions are also refused the moment they expire (identity.service); this only keeps the tables small.
 */
export async function cleanupExpired(db: Db, now: Date): Promise<CleanupResult> {
  const sessions = await deleteExpiredSessions(db, now);
  const authFlows = await deleteExpiredAuthFlows(db, now);
  const windows = await db
    .delete(rateLimits)
    .where(lt(rateLimits.expiresAt, now))
    .returning({ key: rateLimits.key });
  const logoutTokenIds = await deleteExpiredJtis(db, now);
  const usage = await pruneUsage(db, now, USAGE_RETENTION_DAYS);
  const jobRuns = await pruneJobRuns(db, now);
  return { sessions, authFlows, rateLimitWindows: windows.length, logoutTokenIds, ...usage, jobRuns };
}
