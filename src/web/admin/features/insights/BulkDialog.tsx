import { Button } from '@leafygreen-ui/button';
import { useState } from 'react';
import type { InsightBulkResult, InsightBulkUpdate } from '../../../../contract/api/insights.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../../../contract/taxonomy.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { splitTags } from './editDraft.ts';
import { CheckGroup, SelectField, TextField } from './fields.tsx';
import { Modal } from './Modal.tsx';
import { useBulkUpdate } from './queries.ts';

const KEEP: [string, string] = ['', 'Keep as is'];

/** Retag and reclassify the selected insights at once: every one or none changes (the server's rule). */
export function BulkDialog({ ids, onClose }: { ids: string[]; onClose: (changed: boolean) => void }) {
  const bulk = useBulkUpdate();
  const [type, setType] = useState('');
  const [sentiment, setSentiment] = useState('');
  const [priority, setPriority] = useState('');
  const [addTags, setAddTags] = useState('');
  const [removeTags, setRemoveTags] = useState('');
  const [addAreas, setAddAreas] = useState<string[]>([]);
  const [removeAreas, setRemoveAreas] = useState<string[]>([]);
  const [result, setResult] = useState<InsightBulkResult | null>(null);

  const body = {
    ids,
    ...(type !== '' && { type }),
    ...(sentiment !== '' && { sentiment }),
    ...(priority !== '' && { priority }),
    ...(splitTags(addTags).length > 0 && { addTags: splitTags(addTags) }),
    ...(splitTags(removeTags).length > 0 && { removeTags: splitTags(removeTags) }),
    ...(addAreas.length > 0 && { addProductAreas: addAreas }),
    ...(removeAreas.length > 0 && { removeProductAreas: removeAreas }),
  } as InsightBulkUpdate;
  const changesSomething = Object.keys(body).length > 1;

  return (
    <Modal
      labelledBy="bulk-title"
      onClose={() => onClose(result !== null)}
      className="modal"
      testId="bulk-dialog"
    >
      <h2 id="bulk-title" className="modal__title">
        Change {ids.length} insight{ids.length === 1 ? '' : 's'}
      </h2>
      {result !== null ? (
        <div className="modal__body" role="status" data-testid="bulk-result">
          <p>
            Updated {result.updated.length} insight{result.updated.length === 1 ? '' : 's'}
            {result.unchanged.length > 0 && `; ${result.unchanged.length} already matched (unchanged)`}.
          </p>
          <Button variant="primary" data-autofocus onClick={() => onClose(true)}>
            Done
          </Button>
        </div>
      ) : (
        <form
          className="modal__body"
          onSubmit={(event) => {
            event.preventDefault();
            bulk.mutate(body, { onSuccess: setResult });
          }}
        >
          <div className="form-grid">
            <SelectField label="Type" value={type} options={INSIGHT_TYPES} empty={KEEP} onChange={setType} />
            <SelectField
              label="Sentiment"
              value={sentiment}
              options={SENTIMENTS}
              empty={KEEP}
              onChange={setSentiment}
            />
            <SelectField
              label="Priority"
              value={priority}
              options={PRIORITIES}
              empty={KEEP}
              onChange={setPriority}
            />
          </div>
          <div className="form-grid">
            <TextField
              label="Add tags"
              description="Comma-separated"
              value={addTags}
              maxLength={LIMITS.tagsPerInsight * (LIMITS.tag + 2)}
              onChange={setAddTags}
            />
            <TextField
              label="Remove tags"
              description="Comma-separated"
              value={removeTags}
              maxLength={LIMITS.tagsPerInsight * (LIMITS.tag + 2)}
              onChange={setRemoveTags}
            />
          </div>
          <CheckGroup
            legend="Add product areas"
            options={PRODUCT_AREAS}
            value={addAreas}
            onChange={setAddAreas}
          />
          <CheckGroup
            legend="Remove product areas"
            options={PRODUCT_AREAS}
            value={removeAreas}
            onChange={setRemoveAreas}
          />
          <ProblemNotice error={bulk.error} what="Nothing was changed" />
          <div className="row-actions">
            <Button
              type="submit"
              variant="primary"
              disabled={!changesSomething || bulk.isPending}
              data-autofocus
            >
              Apply to {ids.length}
            </Button>
            <Button onClick={() => onClose(false)}>Cancel</Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
