import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type FormEvent, useId, useState } from 'react';
import { ACCESS_REVIEW_LIMITS, type RemovalRequest } from '../../../../contract/api/access-reviews.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { stringRecord, useSessionState } from '../../sessionState.ts';
import { useRemovalRequests, useResolveRemoval } from './queries.ts';

type Status = 'open' | 'done' | 'all';
const STATUSES: Status[] = ['open', 'done', 'all'];
const CLOSED = { id: '', note: '' };
const isDraft = stringRecord('id', 'note');

/** Admins: revocations the app cannot carry out itself (IdP group, HR record); mark each done once made. */
export function RemovalRequests() {
  const [status, setStatus] = useState<Status>('open');
  const pages = useRemovalRequests(status, true);
  const resolve = useResolveRemoval();
  const [draft, setDraft, clearDraft] = useSessionState('removal', CLOSED, isDraft);
  const [done, setDone] = useState<string | null>(null);
  const noteId = useId();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  const submit = (event: FormEvent, request: RemovalRequest) => {
    event.preventDefault();
    setDone(null);
    resolve.mutate(
      { id: request.id, note: draft.note.trim() },
      {
        onSuccess: () => {
          clearDraft();
          setDone(`Marked done: ${request.detail}`);
        },
      },
    );
  };

  return (
    <section aria-labelledby="removals" className="profile-section">
      <div className="page-head">
        <H2 id="removals" className="section-title">
          Removal requests
        </H2>
        <Select
          label="Status"
          size="small"
          allowDeselect={false}
          value={status}
          onChange={(value: string) => setStatus(STATUSES.find((s) => s === value) ?? 'open')}
          className="filters__select"
        >
          {STATUSES.map((s) => (
            <Option key={s} value={s}>
              {s}
            </Option>
          ))}
        </Select>
      </div>
      <Body>
        A revoked entitlement that comes from an IdP group or the org record must be removed there; mark the
        request done once the change is made.
      </Body>
      {done !== null && <Banner variant="success">{done}</Banner>}
      <ProblemNotice error={resolve.error} what="Couldn't mark it done" />
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Banner variant="danger">Couldn't load removal requests: {errorMessage(pages.error)}</Banner>
      )}
      {pages.isSuccess && items.length === 0 && (
        <Body>No {status === 'all' ? '' : `${status} `}removal requests.</Body>
      )}
      {items.length > 0 && (
        <ul className="uses" data-testid="removal-requests">
          {items.map((r) => (
            <li key={r.id} className="use" data-testid="removal-request">
              <div className="badges">
                <Badge variant={r.status === 'open' ? 'yellow' : 'green'}>
                  {r.status === 'open' ? 'Open' : 'Done'}
                </Badge>
                <strong>{r.detail}</strong>
              </div>
              <p className="muted">
                {r.subject.name} · from{' '}
                <AppLink to={`/admin/reviews/${r.campaign.id}`}>{r.campaign.name}</AppLink> ·{' '}
                {dateTime(r.createdAt)}
                {r.resolvedBy !== null &&
                  ` · done by ${r.resolvedBy.name}${r.resolvedAt === null ? '' : `, ${dateTime(r.resolvedAt)}`}`}
              </p>
              {r.status === 'open' && draft.id !== r.id && (
                <Button size="small" onClick={() => setDraft({ id: r.id, note: '' })}>
                  Mark done…
                </Button>
              )}
              {r.status === 'open' && draft.id === r.id && (
                <form className="inline-form" onSubmit={(event) => submit(event, r)}>
                  <TextInput
                    id={noteId}
                    label="What was done (optional)"
                    description="e.g. the IdP change ticket"
                    sizeVariant="small"
                    value={draft.note}
                    maxLength={ACCESS_REVIEW_LIMITS.note}
                    onChange={(change) => setDraft({ id: r.id, note: change.target.value })}
                  />
                  <div className="inline-form__buttons">
                    <Button type="submit" size="small" variant="primary" disabled={resolve.isPending}>
                      Mark done
                    </Button>
                    <Button size="small" onClick={clearDraft} disabled={resolve.isPending}>
                      Cancel
                    </Button>
                  </div>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <LoadMore pages={pages} />
    </section>
  );
}
