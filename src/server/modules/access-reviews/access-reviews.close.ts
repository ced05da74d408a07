import type { z } from 'zod';
import {
  ACCESS_REVIEW_LIMITS,
  type AccessReviewCampaign,
  type AccessReviewClose,
} from '../../../contract/api/access-reviews.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeReviews } from './access-reviews.policy.ts';
import * as repo from './access-reviews.repo.ts';
import { renderReport } from './access-reviews.report.ts';
import { type AccessReviewDeps, getCampaign } from './access-reviews.service.ts';

/**
 * Close a campaign: when every item is decided, or with `force` and a note, leaving the rest recorded as
 * undecided. The report is built in the same transaction; the hash of its canonical JSON is stored on the
 * campaign and both hashes (JSON and CSV) go into the `access.review.closed` audit event, chaining the exported
 * files to the audit log.
 */
export async function closeCampaign(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  id: string,
  input: z.output<typeof AccessReviewClose>,
): Promise<AccessReviewCampaign> {
  const actor = requireActor(ctx);
  authorizeReviews(actor, 'administer');
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const campaign = await repo.lockCampaign(tx, id, 'update');
    if (!campaign) throw new NotFoundError('access review');
    if (campaign.status !== 'open') throw new ConflictError('The campaign is already closed.');
    const items = await repo.allCampaignItems(tx, id);
    const undecided = items.filter((i) => i.decision === null).length;
    const note = input.note ? input.note : null;
    if (undecided > 0 && !input.force)
      throw new ConflictError(
        `${undecided} item${undecided === 1 ? ' is' : 's are'} still undecided. Wait for the reviewers, or ` +
          'close with force and a note (the undecided items are recorded as undecided).',
      );
    if (undecided > 0 && (note?.length ?? 0) < ACCESS_REVIEW_LIMITS.revokeCommentMin)
      throw new ValidationError('Closing with undecided items needs a note saying why.', [
        {
          field: 'body.note',
          message: `must say why the campaign closes with ${undecided} undecided item${undecided === 1 ? '' : 's'} (at least ${ACCESS_REVIEW_LIMITS.revokeCommentMin} characters)`,
        },
      ]);
    const closed = await repo.updateCampaign(tx, id, {
      status: 'closed',
      closedAt: now,
      closedBy: actor.personId,
    });
    const rendered = renderReport(closed, items);
    await repo.updateCampaign(tx, id, { reportSha256: rendered.jsonSha256 });
    await audit(tx, ctx, {
      action: 'access.review.closed',
      targetId: id,
      details: {
        reportSha256: rendered.jsonSha256,
        csvSha256: rendered.csvSha256,
        kept: rendered.report.summary.kept,
        revoked: rendered.report.summary.revoked,
        undecided: rendered.report.summary.undecided,
        note,
      },
    });
  });
  return getCampaign(deps, ctx, id);
}

export interface ReportDownload {
  bytes: Buffer;
  sha256: string;
  filename: string;
}

/**
 * The closed campaign's report, rebuilt from the database: the bytes are exactly those whose hashes the
 * `access.review.closed` event holds. A mismatch with the stored hash means the rows changed after closing;
 * that is refused (500, logged) rather than served as if it were the closed report. Each download is audited
 * (`access.review.exported`).
 */
export async function campaignReport(
  deps: AccessReviewDeps,
  ctx: RequestContext,
  id: string,
  format: 'json' | 'csv',
): Promise<ReportDownload> {
  const actor = requireActor(ctx);
  authorizeReviews(actor, 'read_all');
  const campaign = await repo.findCampaign(deps.db, id);
  if (!campaign) throw new NotFoundError('access review');
  if (campaign.status !== 'closed') throw new ConflictError('The report exists once the campaign is closed.');
  const items = await repo.allCampaignItems(deps.db, id);
  const rendered = renderReport(campaign, items);
  if (rendered.jsonSha256 !== campaign.reportSha256)
    throw new Error(`access review ${id}: rebuilt report does not match the hash recorded at close`);
  const download =
    format === 'json'
      ? { bytes: rendered.json, sha256: rendered.jsonSha256, filename: `access-review-${id}.json` }
      : { bytes: rendered.csv, sha256: rendered.csvSha256, filename: `access-review-${id}.csv` };
  // A list of people and their access leaves the platform: recorded before the first byte is sent.
  await deps.db.transaction((tx) =>
    audit(tx, ctx, {
      action: 'access.review.exported',
      targetId: id,
      details: { format, sha256: download.sha256, items: items.length },
    }),
  );
  return download;
}
