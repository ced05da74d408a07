import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Insight } from '../../../../contract/api/insights.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../../../contract/taxonomy.ts';
import { ApiError, api } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import {
  conflictingFields,
  draftOf,
  type EditDraft,
  FIELD_LABELS,
  fieldText,
  updateOf,
} from './editDraft.ts';
import { CheckGroup, SelectField, TextField } from './fields.tsx';
import { INSIGHTS_KEY, useUpdateInsight } from './queries.ts';

/**
 * Edit and enrich an insight (its author, or a manager or admin in scope). Saves only what changed, from the
 * version the edit started at; when someone saved in between (409) it shows theirs next to mine: keep mine
 * (save over theirs) or take theirs.
 */
export function EditForm({ insight, onDone }: { insight: Insight; onDone: () => void }) {
  const client = useQueryClient();
  const update = useUpdateInsight(insight.id);
  const [base, setBase] = useState(insight);
  const [draft, setDraft] = useState<EditDraft>(() => draftOf(insight));
  const [theirs, setTheirs] = useState<Insight | null>(null);
  const set =
    <K extends keyof EditDraft>(key: K) =>
    (value: EditDraft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const body = updateOf(base, draft);

  const save = (from: Insight) => {
    const next = updateOf(from, draft);
    if (next === null) {
      onDone();
      return;
    }
    update.mutate(next, {
      onSuccess: onDone,
      onError: async (error) => {
        if (!(error instanceof ApiError) || error.status !== 409) return;
        const current = await client.fetchQuery({
          queryKey: [...INSIGHTS_KEY, 'one', insight.id],
          queryFn: () => api.get<Insight>(`/api/v1/insights/${encodeURIComponent(insight.id)}`),
          staleTime: 0,
        });
        setTheirs(current);
      },
    });
  };

  const conflict = theirs !== null;
  return (
    <form
      className="edit-form"
      data-testid="edit-form"
      onSubmit={(event) => {
        event.preventDefault();
        save(base);
      }}
    >
      {theirs !== null && (
        <Banner variant="warning" data-testid="edit-conflict">
          <p>
            {theirs.updatedAt !== base.updatedAt ? 'Someone saved this insight while you were editing.' : ''}{' '}
            Their version and yours differ here:
          </p>
          <table className="conflict">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Theirs (saved)</th>
                <th scope="col">Mine</th>
              </tr>
            </thead>
            <tbody>
              {conflictingFields(theirs, draft).map((field) => (
                <tr key={field}>
                  <th scope="row">{FIELD_LABELS[field]}</th>
                  <td>{fieldText(draftOf(theirs), field)}</td>
                  <td>{fieldText(draft, field)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row-actions">
            <Button
              size="small"
              variant="primary"
              onClick={() => {
                setBase(theirs);
                setTheirs(null);
                save(theirs);
              }}
            >
              Keep mine
            </Button>
            <Button
              size="small"
              onClick={() => {
                setBase(theirs);
                setDraft(draftOf(theirs));
                setTheirs(null);
                update.reset();
              }}
            >
              Take theirs
            </Button>
          </div>
        </Banner>
      )}
      <TextField label="Title" value={draft.title} maxLength={LIMITS.insightTitle} onChange={set('title')} />
      <TextField
        label="Text"
        multiline
        value={draft.text}
        maxLength={LIMITS.insightText}
        onChange={set('text')}
      />
      <div className="form-grid">
        <SelectField label="Type" value={draft.type} options={INSIGHT_TYPES} onChange={set('type')} />
        <SelectField
          label="Sentiment"
          value={draft.sentiment}
          options={SENTIMENTS}
          onChange={set('sentiment')}
        />
        <SelectField
          label="Priority"
          value={draft.priority}
          options={PRIORITIES}
          onChange={set('priority')}
        />
      </div>
      <CheckGroup
        legend="Product areas"
        options={PRODUCT_AREAS}
        value={draft.productAreas}
        onChange={set('productAreas')}
      />
      <TextField
        label="Tags"
        description="Comma-separated"
        value={draft.tags}
        maxLength={LIMITS.tagsPerInsight * (LIMITS.tag + 2)}
        onChange={set('tags')}
      />
      <div className="form-grid">
        <TextField
          label="Developer role"
          value={draft.role}
          maxLength={LIMITS.developerField}
          onChange={set('role')}
        />
        <TextField
          label="Company"
          value={draft.company}
          maxLength={LIMITS.developerField}
          onChange={set('company')}
        />
        <TextField
          label="Experience"
          value={draft.experience}
          maxLength={LIMITS.developerField}
          onChange={set('experience')}
        />
      </div>
      {!(update.error instanceof ApiError && update.error.status === 409) && (
        <ProblemNotice error={update.error} what="Couldn't save" />
      )}
      <div className="row-actions">
        <Button type="submit" variant="primary" disabled={body === null || update.isPending || conflict}>
          Save changes
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
