import { lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rateLimits } from '../db/schema.ts';
import { deleteExpiredAuthFlows, deleteExpiredSessions } from '../modules/identity/identity.repo.ts';
import { deleteExpiredJtis } from '../modules/identity/jti.repo.ts';

export interface CleanupResult {
  sessions: number;
  authFlows: number;
  rateLimitWindows: number;
  logoutTokenIds: number;
}

/**
 * Remove what has expired: sessions past their idle or absolute limit, abandoned sign-in flows, finished
 * rate-limit windows and remembered logout-token ids past their expiry. Idempotent and safe to run from several places at once. Sessions are also refused the
 * moment they expire (identity.service); this only keeps the tables small.
 */
export async function cleanupExpired(db: Db, now: Date): Promise<CleanupResult> {
  const sessions = await deleteExpiredSessions(db, now);
  const authFlows = await deleteExpiredAuthFlows(db, now);
  const windows = await db
    .delete(rateLimits)
    .where(lt(rateLimits.expiresAt, now))
    .returning({ key: rateLimits.key });
  const logoutTokenIds = await deleteExpiredJtis(db, now);
  return { sessions, authFlows, rateLimitWindows: windows.length, logoutTokenIds };
}
