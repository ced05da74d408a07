import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H2 } from '@leafygreen-ui/typography';
import type { FormEvent } from 'react';
import { ACCESS_REVIEW_LIMITS, type AccessReviewCampaign } from '../../../../contract/api/access-reviews.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { isString, useSessionState } from '../../sessionState.ts';
import { useCloseCampaign } from './queries.ts';

/** Close and seal the report; with undecided items only by force, with a note saying why. */
export function CloseCampaign({ campaign }: { campaign: AccessReviewCampaign }) {
  const close = useCloseCampaign();
  const [note, setNote, clearNote] = useSessionState(`close.${campaign.id}`, '', isString);
  const undecided = campaign.progress.undecided;
  const ready = undecided === 0 || note.trim().length >= ACCESS_REVIEW_LIMITS.revokeCommentMin;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    const question =
      undecided === 0
        ? `Close “${campaign.name}” and seal its report?`
        : `Close “${campaign.name}” with ${undecided} undecided item${undecided === 1 ? '' : 's'}? They are recorded as undecided.`;
    if (!window.confirm(question)) return;
    close.mutate(
      { id: campaign.id, body: undecided === 0 ? {} : { force: true, note: note.trim() } },
      { onSuccess: clearNote },
    );
  };

  return (
    <Card className="profile-card" data-testid="close-campaign">
      <H2 className="section-title">Close the campaign</H2>
      {undecided === 0 ? (
        <Body>
          Every item is decided. Closing seals the report (JSON and CSV) and records its hashes in the audit
          log.
        </Body>
      ) : (
        <Banner variant="warning">
          {undecided} item{undecided === 1 ? ' is' : 's are'} still undecided. You can close anyway: say why
          below; they stay undecided in the report.
        </Banner>
      )}
      <form className="model-form" onSubmit={submit} noValidate>
        {undecided > 0 && (
          <label className="textarea-field">
            <span className="textarea-field__label">Why close with undecided items?</span>
            <span className="muted">
              At least {ACCESS_REVIEW_LIMITS.revokeCommentMin} characters; recorded in the audit log.
            </span>
            <textarea
              name="close-note"
              rows={2}
              maxLength={ACCESS_REVIEW_LIMITS.note}
              value={note}
              onChange={(change) => setNote(change.target.value)}
            />
          </label>
        )}
        <ProblemNotice error={close.error} what="Couldn't close the campaign" />
        <div className="inline-form__buttons">
          <Button
            type="submit"
            variant={undecided === 0 ? 'primary' : 'danger'}
            disabled={!ready || close.isPending}
            isLoading={close.isPending}
          >
            {undecided === 0 ? 'Close campaign' : 'Close with undecided items'}
          </Button>
        </div>
      </form>
    </Card>
  );
}
