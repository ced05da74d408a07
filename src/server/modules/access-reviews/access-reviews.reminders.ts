import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { accessReviewCampaigns, accessReviewItems } from '../../db/schema.ts';
import { audit } from '../audit/audit.service.ts';
import { systemContext } from '../identity/actor.ts';

/** Reminders start this long before a campaign is due (and continue while it is overdue). */
export const REMIND_BEFORE_DUE_MS = 3 * 86_400_000;
/** An item is reminded at most once in this interval. */
export const REMIND_INTERVAL_MS = 86_400_000;

export interface ReminderSummary {
  campaigns: number;
  reviewers: number;
  items: number;
}

/**
 * The `access-review-reminders` job: in open campaigns due within three days or overdue, every undecided item
 * not reminded in the last 24 hours is marked reminded now, with one `access.review.reminded` event per campaign.
 * There is no e-mail or chat channel yet: reviewers see the reminder (and the overdue flag) in their inbox.
 * One statement marks the items, so two runs at once cannot remind the same item twice.
 */
export async function remindReviewers(db: Db, now: Date): Promise<ReminderSummary> {
  const ctx = systemContext('job:access-review-reminders');
  const dueBefore = new Date(now.getTime() + REMIND_BEFORE_DUE_MS).toISOString();
  const remindedBefore = new Date(now.getTime() - REMIND_INTERVAL_MS).toISOString();
  return db.transaction(async (tx) => {
    const rows = await queryRows<{ campaign_id: string; reviewer_id: string }>(
      tx,
      sql`
      update ${accessReviewItems} i set last_reminded_at = ${now.toISOString()}::timestamptz
        from ${accessReviewCampaigns} c
       where c.id = i.campaign_id
         and c.status = 'open'
         and c.due_at <= ${dueBefore}::timestamptz
         and i.decision is null
         and (i.last_reminded_at is null or i.last_reminded_at <= ${remindedBefore}::timestamptz)
      returning i.campaign_id, i.reviewer_id`,
    );
    const byCampaign = new Map<string, { reviewers: Set<string>; items: number }>();
    for (const row of rows) {
      const entry = byCampaign.get(row.campaign_id) ?? { reviewers: new Set<string>(), items: 0 };
      entry.reviewers.add(row.reviewer_id);
      entry.items += 1;
      byCampaign.set(row.campaign_id, entry);
    }
    const reviewers = new Set(rows.map((r) => r.reviewer_id));
    for (const [campaignId, entry] of [...byCampaign].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await audit(tx, ctx, {
        action: 'access.review.reminded',
        targetId: campaignId,
        details: { reviewers: entry.reviewers.size, items: entry.items },
      });
    }
    return { campaigns: byCampaign.size, reviewers: reviewers.size, items: rows.length };
  });
}
