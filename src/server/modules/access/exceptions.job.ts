import type { Db } from '../../db/client.ts';
import { audit } from '../audit/audit.service.ts';
import { systemContext } from '../identity/actor.ts';
import { expireDue } from './exceptions.repo.ts';

const BATCH = 500;

/**
 * The `exception-expiry` job: every exception that reached its expiry is marked expired and audited, one event
 * each, in the transaction that marks it. Active exceptions stop granting access at the exact instant anyway
 * (the engine ignores them from then on); this makes the record and the audit trail say so. Requests nobody
 * decided before their expiry lapse the same way (they could no longer be approved).
 */
export async function expireExceptions(
  db: Db,
  now: Date,
): Promise<{ expired: number; lapsedRequests: number }> {
  const ctx = systemContext('exception-expiry');
  let expired = 0;
  let lapsedRequests = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await expireDue(tx, now, BATCH);
      for (const row of rows) {
        await audit(tx, ctx, {
          action: 'access.exception.expired',
          targetId: row.id,
          details: { subjectId: row.subject_id, expiresAt: new Date(row.expires_at).toISOString() },
        });
      }
      return rows;
    });
    expired += batch.filter((r) => r.previous === 'active').length;
    lapsedRequests += batch.filter((r) => r.previous !== 'active').length;
    if (batch.length < BATCH) return { expired, lapsedRequests };
  }
}
