import type { AccessReviewCampaign } from '../../../../contract/api/access-reviews.ts';

/** "12 of 30 decided (10 kept, 2 revoked)" with a bar. */
export function Progress({ progress }: { progress: AccessReviewCampaign['progress'] }) {
  const decided = progress.kept + progress.revoked;
  const percent = progress.total === 0 ? 100 : Math.round((decided / progress.total) * 100);
  return (
    <div className="progress" data-testid="campaign-progress">
      <div
        className="progress__bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={decided}
        aria-label="Items decided"
      >
        <span style={{ width: `${percent}%` }} />
      </div>
      <div className="muted">
        {decided} of {progress.total} decided ({progress.kept} kept, {progress.revoked} revoked)
        {progress.reviewers > 0
          ? ` · ${progress.reviewers} reviewer${progress.reviewers === 1 ? '' : 's'}`
          : ''}
      </div>
    </div>
  );
}
