import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type {
  RemovalRequest,
  RemovalRequestPage,
  RemovalRequestQuery,
  RemovalResolve,
} from '../../../contract/api/access-reviews.ts';
import type { Db } from '../../db/client.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { accessRemovalRequests, accessReviewCampaigns, accessReviewItems, people } from '../../db/schema.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeReviews } from './access-reviews.policy.ts';
import { snapshotOf } from './access-reviews.repo.ts';
import type { AccessReviewDeps } from './access-reviews.service.ts';

/**
 * Removal requests: access a review revoked that lives outside the app (an IdP group membership, an HR or SCIM
 * record). An admin carries the change out there and marks the request done (audited). Until then the access
 * stays, because the app re-derives access from those sources on every request.
 */
const resolver = alias(people, 'resolver');
const r = accessRemovalRequests;

function requestQuery(db: Db) {
  return db
    .select({
      request: r,
      item: accessReviewItems,
      campaign: { id: accessReviewCampaigns.id, name: accessReviewCampaigns.name },
      resolverName: resolver.displayName,
    })
    .from(r)
    .innerJoin(accessReviewItems, eq(accessReviewItems.id, r.itemId))
    .innerJoin(accessReviewCampaigns, eq(accessReviewCampaigns.id, accessReviewItems.campaignId))
    .leftJoin(resolver, eq(resolver.id, r.resolvedBy));
}

type Row = Awaited<ReturnType<ReturnType<typeof requestQuery>['limit']>>[number];

function toApi(row: Row): RemovalRequest {
  const { request } = row;
  return {
    id: request.id,
    itemId: request.itemId,
    campaign: row.campaign,
    subject: { id: request.subjectId, name: snapshotOf(row.item).subjectName },
    source: request.source,
    detail: request.detail,
    status: request.status,
    createdAt: request.createdAt.toISOString(),
    resolvedBy: request.resolvedBy ? { id: request.resolvedBy, name: row.resolverName ?? 'Unknown' } : null,
    resolvedAt: request.resolvedAt?.toISOString() ?? null,
  };
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listRemovalRequests(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  query: z.output<typeof RemovalRequestQuery>,
): Promise<RemovalRequestPage> {
  authorizeReviews(requireActor(ctx), 'read_all');
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const where: SQL[] = [];
  if (query.status !== 'all') where.push(eq(r.status, query.status));
  if (after)
    where.push(sql`(${r.createdAt}, ${r.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`);
  const rows = await requestQuery(deps.db)
    .where(and(...where))
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toApi),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor(last.request.createdAt, last.request.id) : null,
  };
}

export async function resolveRemovalRequest(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  id: string,
  input: z.output<typeof RemovalResolve>,
): Promise<RemovalRequest> {
  const actor = requireActor(ctx);
  authorizeReviews(actor, 'administer');
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(r).where(eq(r.id, id)).limit(1).for('update');
    if (!row) throw new NotFoundError('removal request');
    if (row.status !== 'open') throw new ConflictError('This removal request is already done.');
    await tx
      .update(r)
      .set({ status: 'done', resolvedBy: actor.personId, resolvedAt: now })
      .where(eq(r.id, id));
    await audit(tx, ctx, {
      action: 'access.removal.resolved',
      targetId: id,
      details: { subjectId: row.subjectId, source: row.source, note: input.note ? input.note : null },
    });
  });
  const [row] = await requestQuery(deps.db).where(eq(r.id, id)).limit(1);
  if (!row) throw new Error('resolved removal request not found');
  return toApi(row);
}
