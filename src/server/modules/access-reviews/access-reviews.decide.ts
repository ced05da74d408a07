import type { z } from 'zod';
import type { AccessReviewDecision, AccessReviewItem } from '../../../contract/api/access-reviews.ts';
import type { Db } from '../../db/client.ts';
import { accessRemovalRequests } from '../../db/schema.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { revokeExceptionInTx } from '../access/exceptions.core.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeDecision } from './access-reviews.policy.ts';
import * as repo from './access-reviews.repo.ts';
import { type AccessReviewDeps, toApiItem } from './access-reviews.service.ts';

type Remediation = NonNullable<repo.ItemRow['remediation']>;

const ORG_RECORD: Record<'hr' | 'scim', string> = {
  hr: 'HR record',
  scim: 'identity-provider (SCIM) profile',
};

/** What someone must change outside the app for a revoked rule entitlement to go away, in words. */
export function removalDetail(s: repo.StoredEntitlement, orgSource: 'hr' | 'scim' | null): string {
  const rule = s.ruleId ?? 'unknown';
  if (s.source === 'idp_group') {
    const groups = s.groups.length > 0 ? s.groups.join(', ') : `named in rule ${rule}`;
    return `Remove ${s.subjectName} from IdP group${s.groups.length > 1 ? 's' : ''} ${groups} (rule ${rule})`;
  }
  const record = orgSource ? ORG_RECORD[orgSource] : 'org record';
  const facts = s.facts.length > 0 ? `: ${s.facts.join(', ')}` : '';
  return `Update the ${record} of ${s.subjectName} (rule ${rule}${facts})`;
}

/**
 * Keep or revoke one item. Remediation happens in the same transaction as the decision and its audit event: an
 * exception is revoked at once (the subject loses it on their next request); access that comes from an IdP group
 * or the org record becomes a removal request for whoever administers that system. A revoked exception that had
 * already ended (expired or revoked elsewhere) needs no remediation.
 */
export async function decideItem(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  itemId: string,
  input: z.output<typeof AccessReviewDecision>,
): Promise<AccessReviewItem> {
  const actor = requireActor(ctx);
  const found = await repo.findItem(deps.db, itemId);
  if (!found) throw new NotFoundError('access review item');
  authorizeDecision(actor, found.item);
  const now = deps.now();
  const comment = input.comment ? input.comment : null;

  await deps.db.transaction(async (tx) => {
    const campaign = await repo.lockCampaign(tx, found.item.campaignId, 'share');
    if (!campaign) throw new NotFoundError('access review item');
    if (campaign.status !== 'open')
      throw new ConflictError('The campaign is closed: its decisions are final.');
    const item = await repo.lockItem(tx, itemId);
    if (!item) throw new NotFoundError('access review item');
    if (item.decision)
      throw new ConflictError(`This item was already decided (${item.decision}); decisions are final.`);
    const snapshot = repo.snapshotOf(item);
    const remediation =
      input.decision === 'keep'
        ? 'none'
        : await remediate(tx, ctx, item, snapshot, `Access review "${campaign.name}": ${comment}`, now);
    await repo.updateItem(tx, item.id, {
      decision: input.decision,
      comment,
      decidedBy: actor.personId,
      decidedAt: now,
      remediation,
      entitlement: { ...snapshot, decidedByName: actor.name },
    });
    await audit(tx, ctx, {
      action: 'access.review.decided',
      targetId: item.id,
      details: {
        campaignId: item.campaignId,
        subjectId: item.subjectId,
        decision: input.decision,
        comment,
        remediation,
      },
    });
  });
  const updated = await repo.findItem(deps.db, itemId);
  if (!updated) throw new Error('decided item not found');
  return toApiItem(updated, now);
}

async function remediate(
  tx: Db,
  ctx: RequestContext,
  item: repo.ItemRow,
  snapshot: repo.StoredEntitlement,
  reason: string,
  now: Date,
): Promise<Remediation> {
  if (item.source === 'exception') {
    if (!snapshot.exceptionId) return 'none';
    const revoked = await revokeExceptionInTx(tx, ctx, snapshot.exceptionId, reason, 'access_review', now);
    return revoked ? 'exception_revoked' : 'none';
  }
  const orgSource = await repo.subjectOrgSource(tx, item.subjectId);
  await tx.insert(accessRemovalRequests).values({
    itemId: item.id,
    subjectId: item.subjectId,
    source: item.source,
    detail: removalDetail(snapshot, orgSource),
    status: 'open',
    createdAt: now,
  });
  return 'removal_requested';
}
