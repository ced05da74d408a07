import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type ChangeEvent, useId, useState } from 'react';
import { HR_FEED_LIMITS, type OrgImport } from '../../../../contract/api/directory.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { isString, useSessionState } from '../../sessionState.ts';
import { ImportDiffView } from './ImportDiffView.tsx';
import { ImportHistory } from './ImportHistory.tsx';
import { useApplyImport, useDiscardImport, useImport, usePreviewImport } from './queries.ts';

const MB = 1024 * 1024;

function formatOf(file: File): 'csv' | 'json' | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'csv';
  if (name.endsWith('.json') || file.type === 'application/json') return 'json';
  return null;
}

/** Upload an HR feed file: a dry run first (what would change), then apply exactly that, or discard it. */
export function HrImportSection() {
  // The import being looked at survives the round trip through "Verify it's you" (applying needs it).
  const [importId, setImportId, forget] = useSessionState('hr-import', '', isString);
  const current = useImport(importId === '' ? null : importId);
  const preview = usePreviewImport();
  const apply = useApplyImport();
  const discard = useDiscardImport();
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const fileId = useId();

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setFileProblem(null);
    preview.reset();
    apply.reset();
    if (file === undefined) return;
    const format = formatOf(file);
    if (format === null) return setFileProblem('Choose a .csv or .json file.');
    if (file.size === 0) return setFileProblem('The file is empty.');
    if (file.size > HR_FEED_LIMITS.bytes)
      return setFileProblem(
        `The file is ${(file.size / MB).toFixed(1)} MB; at most ${HR_FEED_LIMITS.bytes / MB} MB.`,
      );
    let content: string;
    try {
      content = await file.text();
    } catch {
      return setFileProblem("Couldn't read the file.");
    }
    preview.mutate(
      { fileName: file.name.slice(0, HR_FEED_LIMITS.fileName), format, content },
      { onSuccess: (result) => setImportId(result.id) },
    );
  };

  const onApply = (imp: OrgImport) => {
    const leavers = imp.counts.leavers;
    const question =
      `Apply “${imp.fileName}”? ${imp.counts.joiners} joiners, ${imp.counts.movers} movers` +
      (leavers > 0
        ? `, ${leavers} leavers deactivated (their sessions end and API tokens are revoked).`
        : '.');
    if (!imp.diff.leaversNeedConfirmation) {
      if (window.confirm(question)) apply.mutate({ id: imp.id });
      return;
    }
    // A truncated file must not empty the org: the admin types the number of leavers to go ahead.
    const typed = window.prompt(
      `${question}\n\nThis deactivates an unusually large share of the people the HR feed manages. ` +
        `Type the number of leavers (${leavers}) to confirm.`,
    );
    if (typed === null) return;
    if (Number(typed.trim()) !== leavers) {
      window.alert(`Not applied: you typed “${typed.trim()}”, and the import has ${leavers} leavers.`);
      return;
    }
    apply.mutate({ id: imp.id, confirmLeavers: leavers });
  };
  const close = () => {
    forget();
    setInputKey((k) => k + 1);
    preview.reset();
    apply.reset();
    discard.reset();
  };
  const imp = current.data;

  return (
    <section aria-labelledby="hr-import" className="profile-section">
      <H2 id="hr-import" className="section-title">
        HR feed import
      </H2>
      <Card className="profile-card">
        <Body>
          A CSV with a header row (employee_number, email, name, manager, department, title,
          builder_relations) or a JSON array of the same fields. Checking it changes nothing; you see every
          joiner, mover and leaver first, then apply exactly that.
        </Body>
        <label className="textarea-field" htmlFor={fileId}>
          <span className="textarea-field__label">
            HR file (.csv or .json, at most {HR_FEED_LIMITS.bytes / MB} MB)
          </span>
        </label>
        <input
          key={inputKey}
          id={fileId}
          type="file"
          accept=".csv,.json,text/csv,application/json"
          onChange={(event) => void onFile(event)}
          disabled={preview.isPending}
        />
        {preview.isPending && <Body aria-live="polite">Checking the file…</Body>}
        {fileProblem !== null && (
          <p role="alert" className="form-problems">
            {fileProblem}
          </p>
        )}
        <ProblemNotice error={preview.error} what="The file has problems; nothing was stored" />
      </Card>
      {importId !== '' && current.isPending && <Body aria-live="polite">Loading the preview…</Body>}
      {importId !== '' && current.isError && (
        <Banner variant="danger">
          Couldn't load the import: {errorMessage(current.error)}{' '}
          <Button size="xsmall" onClick={close}>
            Close
          </Button>
        </Banner>
      )}
      {imp !== undefined && importId !== '' && (
        <Card className="profile-card" data-testid="import-preview">
          <div className="badges">
            <strong>{imp.fileName}</strong>
            <Badge
              variant={imp.status === 'applied' ? 'green' : imp.status === 'previewed' ? 'blue' : 'lightgray'}
            >
              {imp.status}
            </Badge>
            <span className="muted">
              {dateTime(imp.createdAt)} · SHA-256 <code className="hash">{imp.fileSha256.slice(0, 16)}…</code>
            </span>
          </div>
          {imp.status === 'applied' && imp.result !== null && (
            <Banner variant="success" data-testid="import-applied">
              Applied{imp.appliedAt === null ? '' : ` ${dateTime(imp.appliedAt)}`}: {imp.result.created}{' '}
              created, {imp.result.updated} updated, {imp.result.reactivated} reactivated,{' '}
              {imp.result.deactivated} deactivated ({imp.result.sessionsEnded} sessions ended,{' '}
              {imp.result.tokensRevoked} tokens revoked), {imp.result.assertionsRecorded} assertions recorded
              beside SCIM.
            </Banner>
          )}
          {imp.status === 'failed' && (
            <Banner variant="danger">Failed: {imp.failure ?? 'unknown reason'}</Banner>
          )}
          {imp.status === 'discarded' && <Body>Discarded: nothing was changed.</Body>}
          <ImportDiffView diff={imp.diff} />
          <ProblemNotice error={apply.error} what="Couldn't apply" />
          <ProblemNotice error={discard.error} what="Couldn't discard" />
          <div className="inline-form__buttons">
            {imp.status === 'previewed' && (
              <>
                <Button
                  variant="primary"
                  onClick={() => onApply(imp)}
                  disabled={apply.isPending || discard.isPending}
                  isLoading={apply.isPending}
                >
                  Apply
                </Button>
                <Button
                  onClick={() => discard.mutate(imp.id)}
                  disabled={apply.isPending || discard.isPending}
                >
                  Discard
                </Button>
              </>
            )}
            <Button onClick={close} disabled={apply.isPending || discard.isPending}>
              Close
            </Button>
          </div>
        </Card>
      )}
      <ImportHistory currentId={importId} onOpen={setImportId} />
    </section>
  );
}
