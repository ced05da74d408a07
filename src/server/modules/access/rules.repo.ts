import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { entitlementRuleSets } from '../../db/schema.ts';

export type RuleSetRow = typeof entitlementRuleSets.$inferSelect;

/** Serializes rule-set changes across replicas. */
const RULE_SET_LOCK_KEY = 4_217_730_004;

export async function lockRuleSets(tx: Db) {
  await tx.execute(sql`select pg_advisory_xact_lock(${RULE_SET_LOCK_KEY})`);
}

export async function findActiveRuleSet(db: Db): Promise<RuleSetRow | null> {
  const [row] = await db
    .select()
    .from(entitlementRuleSets)
    .where(eq(entitlementRuleSets.status, 'active'))
    .limit(1);
  return row ?? null;
}

export async function findRuleSet(db: Db, version: number): Promise<RuleSetRow | null> {
  const [row] = await db
    .select()
    .from(entitlementRuleSets)
    .where(eq(entitlementRuleSets.version, version))
    .limit(1);
  return row ?? null;
}

export async function latestVersion(db: Db): Promise<number> {
  const [row] = await db
    .select({ version: entitlementRuleSets.version })
    .from(entitlementRuleSets)
    .orderBy(desc(entitlementRuleSets.version))
    .limit(1);
  return row?.version ?? 0;
}

export async function insertRuleSet(
  tx: Db,
  row: typeof entitlementRuleSets.$inferInsert,
): Promise<RuleSetRow> {
  const [inserted] = await tx.insert(entitlementRuleSets).values(row).returning();
  if (!inserted) throw new Error('insert entitlement_rule_sets returned no row');
  return inserted;
}

/** Supersede the active version and make `version` active. Call inside the locked transaction. */
export async function activateRuleSet(tx: Db, version: number, at: Date) {
  await tx
    .update(entitlementRuleSets)
    .set({ status: 'superseded' })
    .where(eq(entitlementRuleSets.status, 'active'));
  await tx
    .update(entitlementRuleSets)
    .set({ status: 'active', activatedAt: at })
    .where(eq(entitlementRuleSets.version, version));
}

export async function listRuleSets(db: Db, limit: number): Promise<RuleSetRow[]> {
  return db.select().from(entitlementRuleSets).orderBy(desc(entitlementRuleSets.version)).limit(limit);
}
