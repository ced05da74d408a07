import type { z } from 'zod';
import {
  ACCESS_REVIEW_LIMITS,
  type AccessReviewCampaign,
  type AccessReviewCampaignPage,
  type AccessReviewCreate,
  type AccessReviewInboxQuery,
  type AccessReviewItem,
  type AccessReviewItemPage,
  type AccessReviewItemsQuery,
  type AccessReviewListQuery,
} from '../../../contract/api/access-reviews.ts';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { decodeItemCursor, encodeItemCursor } from './access-reviews.cursor.ts';
import { authorizeReviews, isAdmin } from './access-reviews.policy.ts';
import {
  adminsOf,
  loadOrgAccess,
  needsOtherAdmin,
  planItems,
  selectPopulation,
} from './access-reviews.population.ts';
import * as repo from './access-reviews.repo.ts';

export interface AccessReviewDeps {
  db: Db;
  now: () => Date;
}

const DAY_MS = 86_400_000;

export function toApiItem({ item, campaign }: repo.ItemWithCampaign, now: Date): AccessReviewItem {
  const s = repo.snapshotOf(item);
  return {
    id: item.id,
    campaign: {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      dueAt: campaign.dueAt.toISOString(),
    },
    subject: { id: item.subjectId, name: s.subjectName, email: s.subjectEmail },
    reviewer: { id: item.reviewerId, name: s.reviewerName },
    entitlement: {
      role: s.role,
      scopeKind: s.scopeKind,
      source: s.source,
      ruleId: s.ruleId,
      exceptionId: s.exceptionId,
      expiresAt: s.expiresAt,
      reason: s.reason,
    },
    source: item.source,
    decision: item.decision,
    comment: item.comment,
    decidedBy: item.decidedBy ? { id: item.decidedBy, name: s.decidedByName ?? 'Unknown' } : null,
    decidedAt: item.decidedAt?.toISOString() ?? null,
    remediation: item.remediation,
    lastRemindedAt: item.lastRemindedAt?.toISOString() ?? null,
    overdue: item.decision === null && campaign.status === 'open' && campaign.dueAt <= now,
  };
}

export function toApiCampaign(row: repo.CampaignSummaryRow, now: Date): AccessReviewCampaign {
  const c = row.campaign;
  const total = row.total ?? 0;
  const kept = row.kept ?? 0;
  const revoked = row.revoked ?? 0;
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    status: c.status,
    dueAt: c.dueAt.toISOString(),
    overdue: c.status === 'open' && c.dueAt <= now,
    createdBy: { id: c.createdBy, name: row.creatorName ?? 'Unknown' },
    createdAt: c.createdAt.toISOString(),
    closedBy: c.closedBy ? { id: c.closedBy, name: row.closerName ?? 'Unknown' } : null,
    closedAt: c.closedAt?.toISOString() ?? null,
    reportSha256: c.reportSha256,
    progress: { total, kept, revoked, undecided: total - kept - revoked, reviewers: row.reviewers ?? 0 },
  };
}

function checkDueAt(dueAt: Date, now: Date) {
  const max = ACCESS_REVIEW_LIMITS.maxDueDays;
  if (dueAt <= now)
    throw new ValidationError('The due date must be in the future.', [
      { field: 'body.dueAt', message: 'must be in the future' },
    ]);
  if (dueAt.getTime() > now.getTime() + max * DAY_MS)
    throw new ValidationError(`The due date must be at most ${max} days ahead.`, [
      { field: 'body.dueAt', message: `must be at most ${max} days from now` },
    ]);
}

const EMPTY_POPULATION = {
  privileged:
    'Nobody currently holds privileged access (an effective role of manager or admin) or an exception.',
  builder_relations:
    'Nobody is marked as Builder Relations by the org source or holds advocate access or above.',
  custom:
    'None of the listed people is active with any access to review (deactivated people and people ' +
    'without access are left out).',
} as const;

/** Start a campaign: compute the population and every entitlement, assign reviewers, write it all at once. */
export async function createCampaign(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  input: z.output<typeof AccessReviewCreate>,
): Promise<AccessReviewCampaign> {
  const actor = requireActor(ctx);
  authorizeReviews(actor, 'administer');
  const now = deps.now();
  const dueAt = new Date(input.dueAt);
  checkDueAt(dueAt, now);
  const personIds = input.kind === 'custom' ? (input.personIds ?? []) : [];
  const org =
    input.kind === 'custom'
      ? await loadOrgAccess(deps.db, { ids: personIds, alsoIds: [actor.personId] }, now)
      : await loadOrgAccess(deps.db, { all: true }, now);
  const unknown = personIds.filter((id) => !org.byId.has(id));
  if (unknown.length > 0)
    throw new ValidationError(`${unknown.length} of the listed people do not exist.`, [
      { field: 'body.personIds', message: `unknown people: ${unknown.slice(0, 5).join(', ')}` },
    ]);
  const subjects = selectPopulation(org, input.kind, personIds).filter((s) => s.access);
  if (subjects.length === 0)
    throw new ValidationError(EMPTY_POPULATION[input.kind], [
      {
        field: input.kind === 'custom' ? 'body.personIds' : 'body.kind',
        message: 'the population has nobody with access to review',
      },
    ]);
  let otherAdmin = null;
  if (needsOtherAdmin(org, subjects, actor.personId)) {
    const everyone = input.kind === 'custom' ? await loadOrgAccess(deps.db, { all: true }, now) : org;
    otherAdmin = adminsOf(everyone, actor.personId)[0] ?? null;
  }
  const planned = planItems(org, subjects, { id: actor.personId, name: actor.name }, otherAdmin);

  const campaign = await deps.db.transaction(async (tx) => {
    const row = await repo.insertCampaign(tx, {
      name: input.name,
      kind: input.kind,
      selection: input.kind === 'custom' ? personIds : null,
      status: 'open',
      dueAt,
      createdBy: actor.personId,
      createdAt: now,
    });
    await repo.insertItems(
      tx,
      planned.map((p) => ({
        campaignId: row.id,
        subjectId: p.subjectId,
        reviewerId: p.reviewerId,
        source: p.source,
        entitlement: p.entitlement,
      })),
    );
    await audit(tx, ctx, {
      action: 'access.review.created',
      targetId: row.id,
      details: { name: row.name, kind: row.kind, dueAt: dueAt.toISOString(), items: planned.length },
    });
    return row;
  });
  return getCampaign(deps, ctx, campaign.id);
}

export async function listCampaigns(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  query: z.output<typeof AccessReviewListQuery>,
): Promise<AccessReviewCampaignPage> {
  const actor = requireActor(ctx);
  authorizeReviews(actor, 'read_all');
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows, hasMore } = await repo.listCampaignSummaries(
    deps.db,
    { status: query.status },
    { limit: query.limit, after },
  );
  const now = deps.now();
  const last = rows.at(-1);
  return {
    items: rows.map((r) => toApiCampaign(r, now)),
    nextCursor: hasMore && last ? encodeCursor(last.campaign.createdAt, last.campaign.id) : null,
  };
}

/** Admins see the whole campaign; a reviewer sees it with progress over their own items; anyone else 404. */
export async function getCampaign(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  id: string,
): Promise<AccessReviewCampaign> {
  const actor = requireActor(ctx);
  authorizeReviews(actor, 'read_own');
  const admin = isAdmin(actor);
  if (!admin && !(await repo.isReviewerIn(deps.db, id, actor.personId)))
    throw new NotFoundError('access review');
  const row = await repo.findCampaignSummary(deps.db, id, admin ? null : actor.personId);
  if (!row) throw new NotFoundError('access review');
  return toApiCampaign(row, deps.now());
}

export async function listItems(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  campaignId: string,
  query: z.output<typeof AccessReviewItemsQuery>,
): Promise<AccessReviewItemPage> {
  const actor = requireActor(ctx);
  authorizeReviews(actor, 'read_own');
  const admin = isAdmin(actor);
  const campaign = await repo.findCampaign(deps.db, campaignId);
  if (!campaign || (!admin && !(await repo.isReviewerIn(deps.db, campaignId, actor.personId))))
    throw new NotFoundError('access review');
  const reviewerIds = [...(query.reviewerId ? [query.reviewerId] : []), ...(admin ? [] : [actor.personId])];
  const after = query.cursor ? decodeItemCursor(query.cursor) : null;
  const { rows, hasMore } = await repo.listCampaignItems(
    deps.db,
    { campaignId, reviewerIds, state: query.state },
    { limit: query.limit, after },
  );
  const now = deps.now();
  const last = rows.at(-1);
  return {
    items: rows.map((r) => toApiItem(r, now)),
    nextCursor: hasMore && last ? encodeItemCursor(last.item.id) : null,
  };
}

/** My undecided items across open campaigns, the campaign due soonest first. */
export async function inbox(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  query: z.output<typeof AccessReviewInboxQuery>,
): Promise<AccessReviewItemPage> {
  const actor = requireActor(ctx);
  authorizeReviews(actor, 'read_own');
  const after = query.cursor ? decodeItemCursor(query.cursor) : null;
  const { rows, hasMore } = await repo.listInbox(deps.db, actor.personId, { limit: query.limit, after });
  const now = deps.now();
  const last = rows.at(-1);
  return {
    items: rows.map((r) => toApiItem(r, now)),
    nextCursor: hasMore && last ? encodeItemCursor(last.item.id) : null,
  };
}
