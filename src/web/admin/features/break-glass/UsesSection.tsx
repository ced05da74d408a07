import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type FormEvent, useState } from 'react';
import type { BreakGlassUse } from '../../../../contract/api/break-glass.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { type ReviewFilter, useBreakGlassUses, useCloseReview } from './queries.ts';

const NOTES_MIN = 10;
const FILTERS: { value: ReviewFilter; label: string }[] = [
  { value: 'open', label: 'Open reviews' },
  { value: 'closed', label: 'Closed reviews' },
  { value: 'all', label: 'All uses' },
];

function CloseReview({ use }: { use: BreakGlassUse }) {
  const close = useCloseReview();
  const [notes, setNotes] = useState('');
  const short = notes.trim().length < NOTES_MIN;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!short) close.mutate({ id: use.id, notes: notes.trim() });
  };
  return (
    <form className="review-form" onSubmit={submit}>
      <label className="textarea-field">
        <span className="textarea-field__label">Review notes</span>
        <span className="muted">
          What was done, and whether the use was justified (at least {NOTES_MIN} characters).
        </span>
        <textarea
          rows={3}
          maxLength={2000}
          value={notes}
          onChange={(change) => setNotes(change.target.value)}
        />
      </label>
      <ProblemNotice error={close.error} what="Couldn't close the review" />
      <Button type="submit" size="small" variant="primary" disabled={short || close.isPending}>
        Close review
      </Button>
    </form>
  );
}

function UseCard({ use }: { use: BreakGlassUse }) {
  return (
    <li className="use" data-testid="break-glass-use">
      <div className="badges">
        <code>{use.principal}</code>
        <Badge variant={use.reviewStatus === 'open' ? 'yellow' : 'green'}>review {use.reviewStatus}</Badge>
        <span className="muted">
          {use.mode === 'approved' ? 'after approval' : 'identity provider unreachable'}
        </span>
      </div>
      <p>
        {dateTime(use.startedAt)} – {dateTime(use.endsAt)}
      </p>
      <p>Reason: {use.reason}</p>
      {use.reviewStatus === 'closed' ? (
        <p className="muted">
          Reviewed by {use.reviewedBy?.name ?? '—'}
          {use.reviewedAt === null ? '' : `, ${dateTime(use.reviewedAt)}`}: {use.reviewNotes}
        </p>
      ) : (
        <CloseReview use={use} />
      )}
    </li>
  );
}

/** Every break-glass use has a review an SSO admin closes with notes; open ones first. */
export function UsesSection() {
  const [review, setReview] = useState<ReviewFilter>('open');
  const uses = useBreakGlassUses(review);
  return (
    <section aria-labelledby="bg-uses">
      <div className="page-head">
        <H2 id="bg-uses" className="section-title">
          Uses and reviews
        </H2>
        <Select
          label="Show"
          size="small"
          allowDeselect={false}
          value={review}
          onChange={(value: string) => setReview(FILTERS.find((f) => f.value === value)?.value ?? 'open')}
          className="filters__select"
        >
          {FILTERS.map((f) => (
            <Option key={f.value} value={f.value}>
              {f.label}
            </Option>
          ))}
        </Select>
      </div>
      {uses.isPending && <Body aria-live="polite">Loading…</Body>}
      {uses.isError && <Banner variant="danger">Couldn't load uses: {errorMessage(uses.error)}</Banner>}
      {uses.isSuccess && uses.data.items.length === 0 && <Body>None.</Body>}
      {uses.isSuccess && uses.data.items.length > 0 && (
        <ul className="uses">
          {uses.data.items.map((use) => (
            <UseCard key={use.id} use={use} />
          ))}
        </ul>
      )}
    </section>
  );
}
