import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useId, useState } from 'react';
import type { ImportPreview } from '../../../../contract/api/imports.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useApplyImport } from './queries.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function Progress({ preview }: { preview: ImportPreview }) {
  const id = useId();
  const total = preview.counts.totalRows;
  const done = Math.min(preview.processedRows, total);
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  return (
    <div className="import-progress" data-testid="import-progress">
      <label htmlFor={id} className="textarea-field__label">
        Import progress
      </label>
      <progress id={id} max={Math.max(total, 1)} value={total === 0 ? 1 : done} />
      <Body aria-live="polite" data-testid="import-progress-text">
        {done} of {total} rows ({percent}%)
      </Body>
    </div>
  );
}

/** What the apply did (the counts of an applied import are its outcome). */
function Result({ preview }: { preview: ImportPreview }) {
  const { counts } = preview;
  const skipped = counts.error + counts.duplicateInFile;
  return (
    <Banner variant="success" data-testid="import-result">
      Applied{preview.appliedAt === null ? '' : ` ${dateTime(preview.appliedAt)}`}:{' '}
      {plural(counts.create, 'event created', 'events created')}, {counts.update} updated, {counts.unchanged}{' '}
      unchanged
      {skipped > 0 ? `, ${plural(skipped, 'row', 'rows')} skipped (errors or duplicates in the file)` : ''}.{' '}
      <AppLink to="/admin/events">Open the events</AppLink>
    </Banner>
  );
}

/**
 * Step 4: apply. The server works through the rows in the background; the page polls the import (about once a
 * second) and shows the progress, then the outcome. A failed apply can be started again: it resumes, and rows
 * already done are unchanged the second time.
 */
export function ApplyStep({ preview }: { preview: ImportPreview }) {
  const apply = useApplyImport();
  const [learnAliases, setLearnAliases] = useState(true);
  const checkboxId = useId();
  const { counts, status } = preview;
  const blocked = preview.missingRequired.length > 0;
  const start = () => apply.mutate({ id: preview.id, learnAliases });

  return (
    <section aria-labelledby="import-apply" className="import-step">
      <H2 id="import-apply" className="section-title">
        4. Apply
      </H2>
      {status === 'previewed' && (
        <Body>
          Applying creates {plural(counts.create, 'event', 'events')} and updates {counts.update}.{' '}
          {counts.error > 0 ? `${plural(counts.error, 'row', 'rows')} with errors will be skipped.` : ''}
        </Body>
      )}
      {status === 'failed' && (
        <Banner variant="danger" data-testid="import-failed">
          The import stopped after {preview.processedRows} of {counts.totalRows} rows:{' '}
          {preview.error ?? 'unknown reason'}. Rows already imported stay; applying again continues from
          there.
        </Banner>
      )}
      {(status === 'previewed' || status === 'failed') && (
        <>
          <div className="import-check">
            <input
              id={checkboxId}
              type="checkbox"
              checked={learnAliases}
              onChange={(event) => setLearnAliases(event.target.checked)}
            />
            <label htmlFor={checkboxId}>Remember my column choices for next time</label>
          </div>
          <div className="inline-form__buttons">
            <Button
              variant="primary"
              onClick={start}
              disabled={blocked || apply.isPending}
              isLoading={apply.isPending}
            >
              {status === 'failed' ? 'Apply again' : 'Apply import'}
            </Button>
            {blocked && <Body className="muted">Map the required fields first.</Body>}
          </div>
        </>
      )}
      {status === 'applying' && <Progress preview={preview} />}
      {status === 'applied' && <Result preview={preview} />}
      <ProblemNotice error={apply.error} what="The import was not applied" />
    </section>
  );
}
