import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { accessExceptions } from '../../db/schema.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';

export type ExceptionRow = typeof accessExceptions.$inferSelect;

/**
 * Revoke an active exception in the caller's transaction (manual revocation and access-review remediation both
 * come here). Returns false when it is not active (already expired, revoked or never approved). The subject's
 * sessions lose the access on their next request: access is re-derived every time.
 */
export async function revokeExceptionInTx(
  tx: Db,
  ctx: RequestContext,
  exceptionId: string,
  reason: string,
  via: 'manual' | 'access_review',
  now: Date,
): Promise<boolean> {
  const [row] = await tx
    .update(accessExceptions)
    .set({ status: 'revoked', revokedAt: now, revokedBy: ctx.actor?.personId ?? null, revokeReason: reason })
    .where(and(eq(accessExceptions.id, exceptionId), eq(accessExceptions.status, 'active')))
    .returning();
  if (!row) return false;
  await audit(tx, ctx, {
    action: 'access.exception.revoked',
    targetId: row.id,
    details: { subjectId: row.subjectId, reason, via },
  });
  return true;
}
