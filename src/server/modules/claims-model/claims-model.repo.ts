import { desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { claimsModels, people } from '../../db/schema.ts';

export type ClaimsModelRow = typeof claimsModels.$inferSelect;

/** Serializes version changes across replicas. */
const CLAIMS_MODEL_LOCK_KEY = 4_217_730_003;

export async function lockClaimsModels(tx: Db) {
  await tx.execute(sql`select pg_advisory_xact_lock(${CLAIMS_MODEL_LOCK_KEY})`);
}

export async function findActive(db: Db): Promise<ClaimsModelRow | null> {
  const [row] = await db.select().from(claimsModels).where(eq(claimsModels.status, 'active')).limit(1);
  return row ?? null;
}

export async function findVersion(db: Db, version: number): Promise<ClaimsModelRow | null> {
  const [row] = await db.select().from(claimsModels).where(eq(claimsModels.version, version)).limit(1);
  return row ?? null;
}

/** Supersede the active version (if any) and make `row` the active one. Call inside the locked transaction. */
export async function activate(tx: Db, row: Omit<ClaimsModelRow, 'status' | 'approvedBy' | 'approvedAt'>) {
  await tx.update(claimsModels).set({ status: 'superseded' }).where(eq(claimsModels.status, 'active'));
  const [inserted] = await tx
    .insert(claimsModels)
    .values({ ...row, status: 'active' })
    .returning();
  if (!inserted) throw new Error('insert claims_models returned no row');
  return inserted;
}

export async function markApproved(tx: Db, version: number, approvedBy: string, at: Date) {
  await tx.update(claimsModels).set({ approvedBy, approvedAt: at }).where(eq(claimsModels.version, version));
}

const creator = alias(people, 'creator');
const approver = alias(people, 'approver');

/** Newest first, with the names of who changed and who approved each version. */
export async function listVersions(db: Db, limit: number) {
  return db
    .select({
      row: claimsModels,
      creatorName: creator.displayName,
      approverName: approver.displayName,
    })
    .from(claimsModels)
    .leftJoin(creator, eq(creator.id, claimsModels.createdBy))
    .leftJoin(approver, eq(approver.id, claimsModels.approvedBy))
    .orderBy(desc(claimsModels.version))
    .limit(limit);
}
