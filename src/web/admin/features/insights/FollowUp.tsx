import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { useState } from 'react';
import type { Insight } from '../../../../contract/api/insights.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import {
  FOLLOW_UP_STATUS_LABELS,
  FOLLOW_UP_STATUSES,
  type FollowUpStatus,
  type IssueKind,
  issueKindOf,
} from '../../../../contract/reporting.ts';
import { ApiError } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { SelectField, TextField } from './fields.tsx';
import { PersonSearch } from './PersonSearch.tsx';
import { useFollowUp } from './queries.ts';

const ISSUE_BADGE: Record<IssueKind, { label: string; variant: 'blue' | 'darkgray' | 'lightgray' }> = {
  jira: { label: 'Jira', variant: 'blue' },
  github: { label: 'GitHub', variant: 'darkgray' },
  other: { label: 'Link', variant: 'lightgray' },
};

export function IssueLink({ url }: { url: string }) {
  const badge = ISSUE_BADGE[issueKindOf(url)];
  return (
    <span className="issue-link">
      <Badge variant={badge.variant}>{badge.label}</Badge>{' '}
      <a href={url} target="_blank" rel="noopener noreferrer">
        {url}
      </a>
    </span>
  );
}

const NOT_FLAGGED = '';
const STATUS_OPTIONS = FOLLOW_UP_STATUSES.map((id) => ({ id, label: FOLLOW_UP_STATUS_LABELS[id] }));

/** The follow-up workflow: status (or not flagged), owner, linked Jira/GitHub issue. */
export function FollowUp({ insight, canEdit }: { insight: Insight; canEdit: boolean }) {
  const state = insight.followUpState;
  const save = useFollowUp(insight.id);
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState<string>(state?.status ?? NOT_FLAGGED);
  const [owner, setOwner] = useState(state?.owner ?? null);
  const [issueUrl, setIssueUrl] = useState(state?.issueUrl ?? '');
  const urlError =
    issueUrl.trim() !== '' && !/^https:\/\/\S+$/.test(issueUrl.trim()) ? 'Must be an https URL' : undefined;

  const start = () => {
    setStatus(state?.status ?? (insight.followUp ? 'open' : NOT_FLAGGED));
    setOwner(state?.owner ?? null);
    setIssueUrl(state?.issueUrl ?? '');
    save.reset();
    setEditing(true);
  };

  return (
    <section className="drawer__section" aria-labelledby="follow-up-heading" data-testid="follow-up">
      <h3 id="follow-up-heading">Follow-up</h3>
      {!editing && (
        <>
          {state === null ? (
            <p className="muted">
              {insight.followUp ? 'Flagged for follow-up' : 'Not flagged for follow-up.'}
            </p>
          ) : (
            <dl className="facts">
              <dt>Status</dt>
              <dd data-testid="follow-up-status">{FOLLOW_UP_STATUS_LABELS[state.status]}</dd>
              <dt>Owner</dt>
              <dd>{state.owner?.name ?? 'Nobody yet'}</dd>
              <dt>Issue</dt>
              <dd>{state.issueUrl === null ? '–' : <IssueLink url={state.issueUrl} />}</dd>
              {state.updatedAt !== null && (
                <>
                  <dt>Updated</dt>
                  <dd>{dateTime(state.updatedAt)}</dd>
                </>
              )}
            </dl>
          )}
          {canEdit && (
            <Button size="small" onClick={start}>
              {state === null ? 'Flag for follow-up…' : 'Change follow-up…'}
            </Button>
          )}
        </>
      )}
      {editing && (
        <form
          className="follow-up-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (urlError !== undefined) return;
            const flagged = status !== NOT_FLAGGED;
            save.mutate(
              {
                version: insight.version,
                status: flagged ? (status as FollowUpStatus) : null,
                ownerId: flagged ? (owner?.id ?? null) : null,
                issueUrl: flagged && issueUrl.trim() !== '' ? issueUrl.trim() : null,
              },
              { onSuccess: () => setEditing(false) },
            );
          }}
        >
          <SelectField
            label="Status"
            value={status}
            options={STATUS_OPTIONS}
            empty={[NOT_FLAGGED, 'Not flagged']}
            onChange={setStatus}
          />
          <PersonSearch
            label="Owner"
            value={owner}
            onChange={setOwner}
            disabled={status === NOT_FLAGGED}
            testId="follow-up-owner"
          />
          <TextField
            label="Issue URL"
            type="url"
            value={issueUrl}
            maxLength={LIMITS.issueUrl}
            onChange={setIssueUrl}
            disabled={status === NOT_FLAGGED}
            error={urlError}
            description={
              issueUrl.trim() !== '' && urlError === undefined ? (
                <IssueLink url={issueUrl.trim()} />
              ) : (
                'A Jira or GitHub issue (https)'
              )
            }
          />
          {save.error instanceof ApiError && save.error.status === 409 ? (
            <ProblemNotice
              error={save.error}
              what="Someone changed this insight meanwhile; it now shows their version. Check and save again"
            />
          ) : (
            <ProblemNotice error={save.error} what="Couldn't save the follow-up" />
          )}
          <div className="row-actions">
            <Button
              type="submit"
              size="small"
              variant="primary"
              disabled={save.isPending || urlError !== undefined}
            >
              Save follow-up
            </Button>
            <Button size="small" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
