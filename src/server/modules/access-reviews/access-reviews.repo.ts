import { and, desc, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { Entitlement } from '../../../contract/api/entitlements.ts';
import type { Db } from '../../db/client.ts';
import { accessReviewCampaigns, accessReviewItems, people } from '../../db/schema.ts';

export type CampaignRow = typeof accessReviewCampaigns.$inferSelect;
export type ItemRow = typeof accessReviewItems.$inferSelect;

/**
 * What an item's `entitlement` column holds: the Entitlement as evaluated when the campaign started (with its
 * reason), what made it match (the IdP groups, or the org facts), and the names of the people involved as they
 * were when the item was created or decided. The names are frozen so a closed campaign's report can be rebuilt
 * byte for byte (and its hash checked) after someone is renamed.
 */
export const StoredEntitlement = Entitlement.extend({
  ruleSetVersion: z.number().int(),
  /** idp_group items: the IdP groups of the rule the person was in (what to remove them from). */
  groups: z.array(z.string()),
  /** Rule items: the facts that matched, in words. */
  facts: z.array(z.string()),
  subjectName: z.string(),
  subjectEmail: z.string(),
  reviewerName: z.string(),
  decidedByName: z.string().nullable(),
});
export type StoredEntitlement = z.infer<typeof StoredEntitlement>;

export function snapshotOf(item: ItemRow): StoredEntitlement {
  return StoredEntitlement.parse(item.entitlement);
}

const subjectName = sql`(${accessReviewItems.entitlement}->>'subjectName') collate "C"`;

export async function insertCampaign(
  tx: Db,
  row: typeof accessReviewCampaigns.$inferInsert,
): Promise<CampaignRow> {
  const [inserted] = await tx.insert(accessReviewCampaigns).values(row).returning();
  if (!inserted) throw new Error('insert access_review_campaigns returned no row');
  return inserted;
}

const INSERT_CHUNK = 500;

export async function insertItems(tx: Db, rows: (typeof accessReviewItems.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx.insert(accessReviewItems).values(rows.slice(i, i + INSERT_CHUNK));
  }
}

export async function lockCampaign(
  tx: Db,
  id: string,
  mode: 'update' | 'share',
): Promise<CampaignRow | null> {
  const [row] = await tx
    .select()
    .from(accessReviewCampaigns)
    .where(eq(accessReviewCampaigns.id, id))
    .limit(1)
    .for(mode === 'update' ? 'update' : 'share');
  return row ?? null;
}

export async function findCampaign(db: Db, id: string): Promise<CampaignRow | null> {
  const [row] = await db
    .select()
    .from(accessReviewCampaigns)
    .where(eq(accessReviewCampaigns.id, id))
    .limit(1);
  return row ?? null;
}

export async function updateCampaign(
  tx: Db,
  id: string,
  patch: Partial<typeof accessReviewCampaigns.$inferInsert>,
): Promise<CampaignRow> {
  const [row] = await tx
    .update(accessReviewCampaigns)
    .set(patch)
    .where(eq(accessReviewCampaigns.id, id))
    .returning();
  if (!row) throw new Error('update access_review_campaigns returned no row');
  return row;
}

export async function isReviewerIn(db: Db, campaignId: string, personId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: accessReviewItems.id })
    .from(accessReviewItems)
    .where(and(eq(accessReviewItems.campaignId, campaignId), eq(accessReviewItems.reviewerId, personId)))
    .limit(1);
  return Boolean(row);
}

const creator = alias(people, 'creator');
const closer = alias(people, 'closer');

export interface CampaignSummaryRow {
  campaign: CampaignRow;
  creatorName: string | null;
  closerName: string | null;
  total: number | null;
  kept: number | null;
  revoked: number | null;
  reviewers: number | null;
}

/** Campaigns with their progress counted in one aggregate (over one reviewer's items when `reviewerId` is set). */
function summaryQuery(db: Db, reviewerId: string | null) {
  const i = accessReviewItems;
  const progress = db
    .select({
      campaignId: i.campaignId,
      total: sql<number>`count(*)::int`.as('total'),
      kept: sql<number>`(count(*) filter (where ${i.decision} = 'keep'))::int`.as('kept'),
      revoked: sql<number>`(count(*) filter (where ${i.decision} = 'revoke'))::int`.as('revoked'),
      reviewers: sql<number>`count(distinct ${i.reviewerId})::int`.as('reviewers'),
    })
    .from(i)
    .where(reviewerId ? eq(i.reviewerId, reviewerId) : undefined)
    .groupBy(i.campaignId)
    .as('progress');
  return db
    .select({
      campaign: accessReviewCampaigns,
      creatorName: creator.displayName,
      closerName: closer.displayName,
      total: progress.total,
      kept: progress.kept,
      revoked: progress.revoked,
      reviewers: progress.reviewers,
    })
    .from(accessReviewCampaigns)
    .leftJoin(creator, eq(creator.id, accessReviewCampaigns.createdBy))
    .leftJoin(closer, eq(closer.id, accessReviewCampaigns.closedBy))
    .leftJoin(progress, eq(progress.campaignId, accessReviewCampaigns.id));
}

export async function findCampaignSummary(
  db: Db,
  id: string,
  reviewerId: string | null,
): Promise<CampaignSummaryRow | null> {
  const [row] = await summaryQuery(db, reviewerId).where(eq(accessReviewCampaigns.id, id)).limit(1);
  return row ?? null;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listCampaignSummaries(
  db: Db,
  filters: { status?: CampaignRow['status'] | undefined },
  page: { limit: number; after: { at: Date; id: string } | null },
) {
  const c = accessReviewCampaigns;
  const where: SQL[] = [];
  if (filters.status) where.push(eq(c.status, filters.status));
  if (page.after)
    where.push(
      sql`(${c.createdAt}, ${c.id}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.id}::uuid)`,
    );
  const rows = await summaryQuery(db, null)
    .where(and(...where))
    .orderBy(desc(c.createdAt), desc(c.id))
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

export interface ItemWithCampaign {
  item: ItemRow;
  campaign: { id: string; name: string; status: CampaignRow['status']; dueAt: Date };
}

function itemQuery(db: Db) {
  const c = accessReviewCampaigns;
  return db
    .select({
      item: accessReviewItems,
      campaign: { id: c.id, name: c.name, status: c.status, dueAt: c.dueAt },
    })
    .from(accessReviewItems)
    .innerJoin(c, eq(c.id, accessReviewItems.campaignId));
}

export async function findItem(db: Db, id: string): Promise<ItemWithCampaign | null> {
  const [row] = await itemQuery(db).where(eq(accessReviewItems.id, id)).limit(1);
  return row ?? null;
}

export async function lockItem(tx: Db, id: string): Promise<ItemRow | null> {
  const [row] = await tx
    .select()
    .from(accessReviewItems)
    .where(eq(accessReviewItems.id, id))
    .limit(1)
    .for('update');
  return row ?? null;
}

export async function updateItem(
  tx: Db,
  id: string,
  patch: Partial<typeof accessReviewItems.$inferInsert>,
): Promise<ItemRow> {
  const [row] = await tx.update(accessReviewItems).set(patch).where(eq(accessReviewItems.id, id)).returning();
  if (!row) throw new Error('update access_review_items returned no row');
  return row;
}

export type ItemState = 'open' | 'decided' | 'all';

function stateFilter(state: ItemState): SQL | undefined {
  if (state === 'open') return isNull(accessReviewItems.decision);
  if (state === 'decided') return isNotNull(accessReviewItems.decision);
  return undefined;
}

/** One campaign's items ordered by subject name then id; the next page starts after the item `after`. */
export async function listCampaignItems(
  db: Db,
  filters: { campaignId: string; reviewerIds: string[]; state: ItemState },
  page: { limit: number; after: string | null },
) {
  const i = accessReviewItems;
  const where: (SQL | undefined)[] = [eq(i.campaignId, filters.campaignId), stateFilter(filters.state)];
  for (const reviewerId of filters.reviewerIds) where.push(eq(i.reviewerId, reviewerId));
  if (page.after)
    where.push(
      sql`(${subjectName}, ${i.id}) > (select (x.entitlement->>'subjectName') collate "C", x.id
        from ${accessReviewItems} x where x.id = ${page.after}::uuid)`,
    );
  const rows = await itemQuery(db)
    .where(and(...where))
    .orderBy(subjectName, i.id)
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/**
 * A reviewer's undecided items in open campaigns, the campaign due soonest first, then by subject; the next page
 * starts after the item `after`.
 */
export async function listInbox(db: Db, reviewerId: string, page: { limit: number; after: string | null }) {
  const i = accessReviewItems;
  const c = accessReviewCampaigns;
  const where: SQL[] = [eq(i.reviewerId, reviewerId), isNull(i.decision), eq(c.status, 'open')];
  if (page.after)
    where.push(
      sql`(${c.dueAt}, ${c.id}, ${subjectName}, ${i.id}) >
        (select y.due_at, y.id, (x.entitlement->>'subjectName') collate "C", x.id
           from ${accessReviewItems} x join ${accessReviewCampaigns} y on y.id = x.campaign_id
          where x.id = ${page.after}::uuid)`,
    );
  const rows = await itemQuery(db)
    .where(and(...where))
    .orderBy(c.dueAt, c.id, subjectName, i.id)
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/** Every item of a campaign (the report sorts them itself). */
export async function allCampaignItems(db: Db, campaignId: string): Promise<ItemRow[]> {
  return db.select().from(accessReviewItems).where(eq(accessReviewItems.campaignId, campaignId));
}

export async function subjectOrgSource(db: Db, personId: string) {
  const [row] = await db
    .select({ orgSource: people.orgSource })
    .from(people)
    .where(eq(people.id, personId))
    .limit(1);
  return row?.orgSource ?? null;
}
