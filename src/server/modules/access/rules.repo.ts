import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { auditEvents, entitlementRuleSets, people } from '../../db/schema.ts';

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

// --- Proposals and approvals (rules.service.ts) -------------------------------------------------------

export async function findPendingRuleSets(tx: Db): Promise<RuleSetRow[]> {
  return tx.select().from(entitlementRuleSets).where(eq(entitlementRuleSets.status, 'pending'));
}

/** Reject (or withdraw) a pending version. Call inside the locked transaction. */
export async function rejectRuleSet(tx: Db, version: number) {
  await tx
    .update(entitlementRuleSets)
    .set({ status: 'rejected' })
    .where(and(eq(entitlementRuleSets.version, version), eq(entitlementRuleSets.status, 'pending')));
}

export async function markRuleSetApproved(tx: Db, version: number, approvedBy: string, at: Date) {
  await tx
    .update(entitlementRuleSets)
    .set({ approvedBy, approvedAt: at })
    .where(eq(entitlementRuleSets.version, version));
}

/** A version with the names of its author and approver, its proposal totals and its rejection (audit log). */
export interface RuleSetView {
  row: RuleSetRow;
  creatorName: string | null;
  approverName: string | null;
  proposal: { changedRules: string[]; gains: number; losses: number; needsApproval: boolean } | null;
  rejection: { by: string | null; byName: string | null; at: string; note: string | null } | null;
}

interface RawView {
  version: number;
  spec: Record<string, unknown> | string;
  status: RuleSetRow['status'];
  reason: string;
  created_by: string | null;
  created_at: Date | string;
  approved_by: string | null;
  approved_at: Date | string | null;
  activated_at: Date | string | null;
  creator_name: string | null;
  approver_name: string | null;
  proposal: RuleSetView['proposal'] | string | null;
  rejection: RuleSetView['rejection'] | string | null;
}

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

/** Versions newest first (or one version), each with what the audit log recorded about its proposal. */
export async function listRuleSetViews(
  db: Db,
  filter: { limit: number } | { version: number } | { status: 'active' | 'pending' },
): Promise<RuleSetView[]> {
  const where =
    'version' in filter
      ? sql`where v.version = ${filter.version}`
      : 'status' in filter
        ? sql`where v.status = ${filter.status}`
        : sql``;
  const limit = 'limit' in filter ? filter.limit : 10;
  const rows = await queryRows<RawView>(
    db,
    sql`
    select v.version, v.spec, v.status, v.reason, v.created_by, v.created_at, v.approved_by, v.approved_at,
      v.activated_at, c.display_name as creator_name, a.display_name as approver_name,
      (select e.details from ${auditEvents} e
         where e.target_type = 'entitlement_rules' and e.target_id = v.version::text
           and e.action = 'entitlement_rules.proposed'
         order by e.seq desc limit 1) as proposal,
      (select json_build_object('by', e.actor_id, 'byName', p.display_name, 'at', e.occurred_at,
                                'note', e.details->>'note')
         from ${auditEvents} e left join ${people} p on p.id = e.actor_id
         where e.target_type = 'entitlement_rules' and e.target_id = v.version::text
           and e.action = 'entitlement_rules.rejected'
         order by e.seq desc limit 1) as rejection
    from ${entitlementRuleSets} v
      left join ${people} c on c.id = v.created_by
      left join ${people} a on a.id = v.approved_by
    ${where}
    order by v.version desc
    limit ${limit}`,
  );
  return rows.map((r) => {
    const proposal = json(r.proposal);
    return {
      row: {
        version: Number(r.version),
        spec: json(r.spec) ?? {},
        status: r.status,
        reason: r.reason,
        createdBy: r.created_by,
        createdAt: new Date(r.created_at),
        approvedBy: r.approved_by,
        approvedAt: date(r.approved_at),
        activatedAt: date(r.activated_at),
      },
      creatorName: r.creator_name,
      approverName: r.approver_name,
      proposal: proposal
        ? {
            changedRules: proposal.changedRules,
            gains: proposal.gains,
            losses: proposal.losses,
            needsApproval: proposal.needsApproval,
          }
        : null,
      rejection: json(r.rejection),
    };
  });
}
