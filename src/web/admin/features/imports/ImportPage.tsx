import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useEffect, useRef, useState } from 'react';
import type { ImportPreview } from '../../../../contract/api/imports.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime } from '../../../ui/format.ts';
import { useMe } from '../../queries.ts';
import { isString, useSessionState } from '../../sessionState.ts';
import { ApplyStep } from './ApplyStep.tsx';
import { MappingStep } from './MappingStep.tsx';
import { PreviewStep } from './PreviewStep.tsx';
import { type RowsFilter, useEventImport, useRefreshAfterApply } from './queries.ts';
import { AliasesPanel, HistoryPanel } from './SidePanels.tsx';
import { UploadStep } from './UploadStep.tsx';
import '../../access.css';
import './imports.css';

const STATUS_TEXT: Record<ImportPreview['status'], string> = {
  previewed: 'Not applied yet',
  applying: 'Applying…',
  applied: 'Applied',
  failed: 'Failed',
};

/** The history and learned names change when an apply ends (in the background, seen by polling). */
function useRefreshWhenApplyEnds(status: ImportPreview['status'] | undefined) {
  const refresh = useRefreshAfterApply();
  const previous = useRef(status);
  useEffect(() => {
    // From any other status: a small file can be done before the first poll ever sees `applying`.
    const ended = status === 'applied' || status === 'failed';
    if (ended && previous.current !== undefined && previous.current !== status) void refresh();
    previous.current = status;
  }, [status, refresh]);
}

/**
 * Import events from the program office's spreadsheet (managers and admins): upload a CSV, check how its
 * columns map onto event fields, look at what would change row by row, then apply with progress.
 */
export function ImportPage() {
  const me = useMe();
  // The open import survives a reload of this tab (an apply keeps running on the server meanwhile).
  const [storedId, setStoredId, forget] = useSessionState('event-import', '', isString);
  const importId = storedId === '' ? null : storedId;
  const [filter, setFilter] = useState<RowsFilter>('all');
  const [offset, setOffset] = useState(0);
  const current = useEventImport(importId, filter, offset);
  const preview = current.data;
  useRefreshWhenApplyEnds(preview?.status);

  const open = (id: string) => {
    setStoredId(id);
    setFilter('all');
    setOffset(0);
  };
  const close = () => {
    forget();
    setFilter('all');
    setOffset(0);
  };

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Import events</H1>
      </div>
      <Body className="import-intro">
        Bring the program office's event sheet into Builder Insights. Re-importing the same sheet changes
        nothing; a changed row updates its event (matched on event name and start date).
      </Body>
      <div className="import-layout">
        <div className="import-main">
          <UploadStep onUploaded={(uploaded) => open(uploaded.id)} />
          {importId !== null && current.isPending && <Body aria-live="polite">Loading the import…</Body>}
          {importId !== null && current.isError && (
            <Banner variant="danger">
              Couldn't load the import: {errorMessage(current.error)}{' '}
              <Button size="xsmall" onClick={close}>
                Close
              </Button>
            </Banner>
          )}
          {importId !== null && preview !== undefined && (
            <div className="import-current" data-testid="import-current" data-status={preview.status}>
              <div className="badges import-current__head">
                <strong>{preview.fileName}</strong>
                <span className="muted" data-testid="import-status">
                  {STATUS_TEXT[preview.status]}
                </span>
                <span className="muted">
                  uploaded by {preview.actor.name}, {dateTime(preview.createdAt)}
                </span>
                <Button size="xsmall" onClick={close} disabled={preview.status === 'applying'}>
                  Close
                </Button>
              </div>
              <MappingStep preview={preview} />
              <PreviewStep
                preview={preview}
                filter={filter}
                onFilter={(next) => {
                  setFilter(next);
                  setOffset(0);
                }}
                offset={offset}
                onOffset={setOffset}
                loading={current.isPlaceholderData}
              />
              <ApplyStep preview={preview} />
            </div>
          )}
        </div>
        <aside className="import-side" aria-label="Import history and learned column names">
          <HistoryPanel currentId={importId} onOpen={open} />
          <AliasesPanel isAdmin={me.data?.role === 'admin'} />
        </aside>
      </div>
    </main>
  );
}
