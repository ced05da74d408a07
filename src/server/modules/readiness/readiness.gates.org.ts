import { and, count, desc, eq, lte, min } from 'drizzle-orm';
import { accessExceptions, accessReviewCampaigns } from '../../db/schema.ts';
import { orgSourceHealth } from '../directory/org-status.service.ts';
import { ago, DAY, fail, type GateEvaluator, iso, pass, warn } from './readiness.gates.ts';

/** Access reviews must complete at least this often (no cadence is configured elsewhere: the program's default). */
export const ACCESS_REVIEW_CADENCE_DAYS = 90;

export const orgSourceFresh: GateEvaluator = async ({ db, now }) => {
  const health = await orgSourceHealth(db, now);
  const enabled = health.filter((h) => h.enabled);
  const evidence: Record<string, string | number | boolean | null> = {};
  for (const h of health) {
    evidence[`${h.source}.enabled`] = h.enabled;
    evidence[`${h.source}.lastSuccessAt`] = iso(h.lastSuccessAt);
    evidence[`${h.source}.maxStalenessMinutes`] = h.maxStalenessMinutes;
  }
  const stale = enabled.filter((h) => h.stale);
  if (stale.length > 0) {
    const first = stale[0];
    return fail(
      `Org source ${stale.map((h) => h.source).join(', ')} is stale${
        first?.lastSuccessAt
          ? ` (last sync ${ago(first.lastSuccessAt, now)} ago, limit ${first.maxStalenessMinutes} minutes)`
          : ' (never synced)'
      }.`,
      evidence,
    );
  }
  if (!enabled.some((h) => h.lastSuccessAt))
    return warn('No org source has synced yet: membership rests on sign-in claims only.', evidence);
  return pass('Every enabled org source synced within its staleness limit.', evidence);
};

export const noExpiredExceptions: GateEvaluator = async ({ db, now }) => {
  const [row] = await db
    .select({ n: count(), oldest: min(accessExceptions.expiresAt) })
    .from(accessExceptions)
    .where(and(eq(accessExceptions.status, 'active'), lte(accessExceptions.expiresAt, now)));
  const n = Number(row?.n ?? 0);
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  const evidence = { expiredButActive: n, oldestExpiry: iso(oldest) };
  if (n > 0)
    return fail(
      `${n} access exception(s) past their expiry are still active${oldest ? ` (oldest expired ${ago(oldest, now)} ago)` : ''}.`,
      evidence,
    );
  return pass('No access exception past its expiry is still active.', evidence);
};

export const accessReviewCadence: GateEvaluator = async ({ db, now }) => {
  const [last] = await db
    .select({
      id: accessReviewCampaigns.id,
      name: accessReviewCampaigns.name,
      closedAt: accessReviewCampaigns.closedAt,
    })
    .from(accessReviewCampaigns)
    .where(eq(accessReviewCampaigns.status, 'closed'))
    .orderBy(desc(accessReviewCampaigns.closedAt))
    .limit(1);
  const evidence = {
    cadenceDays: ACCESS_REVIEW_CADENCE_DAYS,
    lastCompletedCampaign: last?.name ?? null,
    lastCompletedAt: iso(last?.closedAt),
  };
  if (!last?.closedAt) return fail('No access review campaign has been completed.', evidence);
  if (now.getTime() - last.closedAt.getTime() > ACCESS_REVIEW_CADENCE_DAYS * DAY)
    return fail(
      `The last access review completed ${ago(last.closedAt, now)} ago; the cadence is ${ACCESS_REVIEW_CADENCE_DAYS} days.`,
      evidence,
    );
  return pass(
    `An access review completed ${ago(last.closedAt, now)} ago (cadence ${ACCESS_REVIEW_CADENCE_DAYS} days).`,
    evidence,
  );
};
