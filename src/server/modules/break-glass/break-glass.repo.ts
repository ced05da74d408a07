import { and, count, desc, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  breakGlassApprovals,
  breakGlassPrincipals,
  breakGlassUses,
  people,
  sessions,
} from '../../db/schema.ts';

export type PrincipalRow = typeof breakGlassPrincipals.$inferSelect;
export type ApprovalRow = typeof breakGlassApprovals.$inferSelect;
export type UseRow = typeof breakGlassUses.$inferSelect;

/** People rows of break-glass principals carry this issuer, so they can never collide with an SSO subject. */
export const BREAK_GLASS_ISSUER = 'urn:builder-insights:break-glass';

/** Serialises enrolments (the "at most two active principals" check and the insert) on both drivers. */
export async function lockEnrolment(tx: Db) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('builder-insights:break-glass-enrol'))`);
}

export async function countActivePrincipals(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(breakGlassPrincipals)
    .where(eq(breakGlassPrincipals.status, 'active'));
  return Number(row?.n ?? 0);
}

export async function findPrincipalByName(db: Db, name: string): Promise<PrincipalRow | null> {
  const [row] = await db
    .select()
    .from(breakGlassPrincipals)
    .where(eq(breakGlassPrincipals.name, name))
    .limit(1);
  return row ?? null;
}

export async function listPrincipals(db: Db): Promise<PrincipalRow[]> {
  return db.select().from(breakGlassPrincipals).orderBy(breakGlassPrincipals.enrolledAt);
}

export async function insertPrincipalPerson(db: Db, name: string, now: Date) {
  const [row] = await db
    .insert(people)
    .values({
      issuer: BREAK_GLASS_ISSUER,
      subject: name,
      email: `${name}@break-glass.invalid`,
      displayName: `Break-glass: ${name}`,
      team: null,
      groups: [],
      status: 'active',
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: people.id });
  if (!row) throw new Error('insert people returned no row');
  return row;
}

export async function insertPrincipal(db: Db, row: typeof breakGlassPrincipals.$inferInsert) {
  const [created] = await db.insert(breakGlassPrincipals).values(row).returning();
  if (!created) throw new Error('insert break_glass_principals returned no row');
  return created;
}

export async function revokePrincipal(db: Db, id: string, personId: string, now: Date) {
  await db
    .update(breakGlassPrincipals)
    .set({ status: 'revoked', revokedAt: now })
    .where(eq(breakGlassPrincipals.id, id));
  await db.update(people).set({ status: 'deactivated', updatedAt: now }).where(eq(people.id, personId));
  await db
    .update(breakGlassApprovals)
    .set({ status: 'expired' })
    .where(
      and(
        eq(breakGlassApprovals.principalId, id),
        inArray(breakGlassApprovals.status, ['pending', 'approved']),
      ),
    );
}

export async function deleteSessionsOfPerson(db: Db, personId: string) {
  return db.delete(sessions).where(eq(sessions.personId, personId)).returning({ id: sessions.id });
}

/** A failed attempt: count it, and lock the principal once it reaches `max` (the count starts again). */
export async function recordFailedAttempt(db: Db, id: string, max: number, lockedUntil: Date) {
  const [row] = await db
    .update(breakGlassPrincipals)
    .set({ failedAttempts: sql`${breakGlassPrincipals.failedAttempts} + 1` })
    .where(eq(breakGlassPrincipals.id, id))
    .returning({ failedAttempts: breakGlassPrincipals.failedAttempts });
  if (!row || row.failedAttempts < max) return { locked: false };
  await db
    .update(breakGlassPrincipals)
    .set({ failedAttempts: 0, lockedUntil })
    .where(eq(breakGlassPrincipals.id, id));
  return { locked: true };
}

/**
 * Consume a TOTP step: succeeds only when it is newer than the last one used, so the same code (or an older
 * one) never works twice, even for two concurrent requests. Verified credentials also reset the failure count.
 */
export async function consumeTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const rows = await db
    .update(breakGlassPrincipals)
    .set({ lastTotpStep: step, failedAttempts: 0 })
    .where(
      and(
        eq(breakGlassPrincipals.id, id),
        or(isNull(breakGlassPrincipals.lastTotpStep), lt(breakGlassPrincipals.lastTotpStep, step)),
      ),
    )
    .returning({ id: breakGlassPrincipals.id });
  return rows.length > 0;
}

export async function markPrincipal(
  db: Db,
  id: string,
  patch: Partial<Pick<PrincipalRow, 'lastUsedAt' | 'lastDrillAt'>>,
) {
  await db.update(breakGlassPrincipals).set(patch).where(eq(breakGlassPrincipals.id, id));
}

/** Requests and approvals past their expiry become `expired` (lazily, whenever they are looked at). */
export async function expireApprovals(db: Db, now: Date) {
  await db
    .update(breakGlassApprovals)
    .set({ status: 'expired' })
    .where(
      and(
        inArray(breakGlassApprovals.status, ['pending', 'approved']),
        lte(breakGlassApprovals.expiresAt, now),
      ),
    );
}

export async function findLiveApproval(
  db: Db,
  principalId: string,
  status: 'pending' | 'approved',
  now: Date,
) {
  const [row] = await db
    .select()
    .from(breakGlassApprovals)
    .where(
      and(
        eq(breakGlassApprovals.principalId, principalId),
        eq(breakGlassApprovals.status, status),
        gt(breakGlassApprovals.expiresAt, now),
      ),
    )
    .orderBy(desc(breakGlassApprovals.requestedAt))
    .limit(1);
  return row ?? null;
}

export async function insertApproval(db: Db, row: typeof breakGlassApprovals.$inferInsert) {
  const [created] = await db.insert(breakGlassApprovals).values(row).returning();
  if (!created) throw new Error('insert break_glass_approvals returned no row');
  return created;
}

/** Move an approval from one status to the next, only if it is still in the expected one (no double use). */
export async function transitionApproval(
  db: Db,
  id: string,
  from: 'pending' | 'approved',
  patch: Partial<Pick<ApprovalRow, 'status' | 'decidedBy' | 'decidedAt' | 'expiresAt'>>,
  now: Date,
): Promise<ApprovalRow | null> {
  const [row] = await db
    .update(breakGlassApprovals)
    .set(patch)
    .where(
      and(
        eq(breakGlassApprovals.id, id),
        eq(breakGlassApprovals.status, from),
        gt(breakGlassApprovals.expiresAt, now),
      ),
    )
    .returning();
  return row ?? null;
}

export async function findApproval(db: Db, id: string) {
  const [row] = await db
    .select({ approval: breakGlassApprovals, principal: breakGlassPrincipals })
    .from(breakGlassApprovals)
    .innerJoin(breakGlassPrincipals, eq(breakGlassPrincipals.id, breakGlassApprovals.principalId))
    .where(eq(breakGlassApprovals.id, id))
    .limit(1);
  return row ?? null;
}

export async function listPendingApprovals(db: Db, now: Date) {
  return db
    .select({ approval: breakGlassApprovals, principalName: breakGlassPrincipals.name })
    .from(breakGlassApprovals)
    .innerJoin(breakGlassPrincipals, eq(breakGlassPrincipals.id, breakGlassApprovals.principalId))
    .where(and(eq(breakGlassApprovals.status, 'pending'), gt(breakGlassApprovals.expiresAt, now)))
    .orderBy(desc(breakGlassApprovals.requestedAt))
    .limit(50);
}

/** A break-glass session of this person that is still open. */
export async function findOpenSession(db: Db, personId: string, now: Date) {
  const [row] = await db
    .select({ id: sessions.id, absoluteExpiresAt: sessions.absoluteExpiresAt })
    .from(sessions)
    .where(
      and(
        eq(sessions.personId, personId),
        eq(sessions.kind, 'break_glass'),
        gt(sessions.absoluteExpiresAt, now),
      ),
    )
    .limit(1);
  return row ?? null;
}

export async function insertUse(db: Db, row: typeof breakGlassUses.$inferInsert) {
  const [created] = await db.insert(breakGlassUses).values(row).returning();
  if (!created) throw new Error('insert break_glass_uses returned no row');
  return created;
}

export async function findUse(db: Db, id: string) {
  const [row] = await db
    .select({ use: breakGlassUses, principal: breakGlassPrincipals })
    .from(breakGlassUses)
    .innerJoin(breakGlassPrincipals, eq(breakGlassPrincipals.id, breakGlassUses.principalId))
    .where(eq(breakGlassUses.id, id))
    .limit(1);
  return row ?? null;
}

export async function listUses(db: Db, review: 'open' | 'closed' | undefined, limit: number) {
  return db
    .select({
      use: breakGlassUses,
      principalName: breakGlassPrincipals.name,
      reviewerName: people.displayName,
    })
    .from(breakGlassUses)
    .innerJoin(breakGlassPrincipals, eq(breakGlassPrincipals.id, breakGlassUses.principalId))
    .leftJoin(people, eq(people.id, breakGlassUses.reviewedBy))
    .where(review ? eq(breakGlassUses.reviewStatus, review) : undefined)
    .orderBy(desc(breakGlassUses.startedAt))
    .limit(limit);
}

export async function countOpenReviews(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(breakGlassUses)
    .where(eq(breakGlassUses.reviewStatus, 'open'));
  return Number(row?.n ?? 0);
}

export async function closeReview(db: Db, id: string, reviewerId: string, notes: string, now: Date) {
  const [row] = await db
    .update(breakGlassUses)
    .set({ reviewStatus: 'closed', reviewedBy: reviewerId, reviewedAt: now, reviewNotes: notes })
    .where(and(eq(breakGlassUses.id, id), eq(breakGlassUses.reviewStatus, 'open')))
    .returning();
  return row ?? null;
}
