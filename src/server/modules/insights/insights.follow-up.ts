import type { z } from 'zod';
import type { FollowUpUpdate, Insight } from '../../../contract/api/insights.ts';
import type { FieldError } from '../../../contract/problem.ts';
import { ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import * as repo from './insights.repo.ts';
import type { InsightDeps } from './insights.service.ts';
import { afterVersionedWrite, loadForEdit } from './insights.update.ts';

type FollowUpInput = z.output<typeof FollowUpUpdate>;

interface FollowUpTarget {
  status: NonNullable<Insight['followUpState']>['status'] | null;
  ownerId: string | null;
  issueUrl: string | null;
}

/**
 * The workflow state a request asks for. A status keeps the owner and issue it does not mention (a status
 * change alone does not unassign anyone); status null ends the workflow, so it clears both, and naming an
 * owner or issue with it is a contradiction answered 400 rather than silently dropped.
 */
function targetOf(current: Insight, input: FollowUpInput): FollowUpTarget {
  if (input.status === null) {
    const stray: FieldError[] = [];
    if (input.ownerId)
      stray.push({ field: 'body.ownerId', message: 'must be null or left out when status is null' });
    if (input.issueUrl)
      stray.push({ field: 'body.issueUrl', message: 'must be null or left out when status is null' });
    if (stray.length > 0)
      throw new ValidationError('Status null ends the follow-up; it has no owner or issue.', stray);
    return { status: null, ownerId: null, issueUrl: null };
  }
  const state = current.followUpState;
  return {
    status: input.status,
    ownerId: input.ownerId !== undefined ? input.ownerId : (state?.owner?.id ?? null),
    issueUrl: input.issueUrl !== undefined ? input.issueUrl : (state?.issueUrl ?? null),
  };
}

/**
 * PUT /api/v1/insights/:id/follow-up: the whole follow-up state of one insight. Who may: as for an edit (the
 * author, or a manager/admin in scope; viewers 403 before any lookup; outside the read scope 404). Optimistic
 * like PATCH: from `version`, 409 with the current record when it moved on. A status flags the insight
 * (followUp true); null un-flags it. A new owner must be a person the directory knows who is not deactivated
 * (400 naming body.ownerId). The new version and `insight.follow_up_changed` commit together; a request that
 * changes nothing answers the stored record without a new version.
 */
export async function setFollowUp(
  deps: InsightDeps,
  ctx: RequestContext,
  id: string,
  input: FollowUpInput,
): Promise<Insight> {
  const { scope, current } = await loadForEdit(deps, requireActor(ctx), id, input.version);

  const target = targetOf(current, input);
  const state = current.followUpState;
  const before: FollowUpTarget = {
    status: state?.status ?? null,
    ownerId: state?.owner?.id ?? null,
    issueUrl: state?.issueUrl ?? null,
  };
  if (target.ownerId && target.ownerId !== before.ownerId) {
    if (!(await repo.isAssignablePerson(deps.db, target.ownerId))) {
      throw new ValidationError('Unknown owner.', [
        { field: 'body.ownerId', message: 'must be an active person in the directory (not deactivated)' },
      ]);
    }
  }
  const unchanged =
    target.status === before.status &&
    target.ownerId === before.ownerId &&
    target.issueUrl === before.issueUrl &&
    current.followUp === (target.status !== null);
  if (unchanged) return current;

  const now = deps.now();
  const updated = await deps.db.transaction(async (tx) => {
    const row = await repo.updateInsightAtVersion(
      tx,
      id,
      input.version,
      {
        followUp: target.status !== null,
        followUpStatus: target.status,
        followUpOwnerId: target.ownerId,
        followUpIssueUrl: target.issueUrl,
        followUpUpdatedAt: now,
      },
      now,
    );
    if (!row) return null;
    await audit(tx, ctx, {
      action: 'insight.follow_up_changed',
      targetId: id,
      details: {
        fromStatus: before.status,
        toStatus: target.status,
        ownerId: target.ownerId,
        issueUrl: target.issueUrl,
        toVersion: row.version,
      },
    });
    return repo.findInsight(tx, scope, id);
  });
  return afterVersionedWrite(deps, scope, id, input.version, updated);
}
