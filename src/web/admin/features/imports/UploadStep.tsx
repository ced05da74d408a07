import { Body, H2 } from '@leafygreen-ui/typography';
import { type ChangeEvent, type DragEvent, useId, useState } from 'react';
import type { ImportPreview } from '../../../../contract/api/imports.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useUploadImport } from './queries.ts';

const MIB = 1024 * 1024;
const FILE_NAME_MAX = 200;

function isCsv(file: File): boolean {
  // Excel on Windows labels CSV files application/vnd.ms-excel: the extension is the better signal.
  return file.name.toLowerCase().endsWith('.csv') || file.type === 'text/csv';
}

/**
 * Step 1: choose (or drop) a CSV. It is read in the browser and refused here when it cannot be sent, so a
 * 20 MB export fails in a moment with a clear message instead of after a long upload.
 */
export function UploadStep({ onUploaded }: { onUploaded: (preview: ImportPreview) => void }) {
  const upload = useUploadImport();
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  const inputId = useId();
  const hintId = useId();

  const send = async (file: File) => {
    setProblem(null);
    upload.reset();
    if (!isCsv(file)) return setProblem(`“${file.name}” is not a CSV file: export the sheet as .csv.`);
    if (file.size === 0) return setProblem(`“${file.name}” is empty.`);
    if (file.size > LIMITS.importBytes)
      return setProblem(
        `“${file.name}” is ${(file.size / MIB).toFixed(1)} MiB; the limit is ${LIMITS.importBytes / MIB} MiB. ` +
          'Split the sheet or remove columns you do not import.',
      );
    let csv: string;
    try {
      csv = await file.text();
    } catch {
      return setProblem(`Couldn't read “${file.name}”.`);
    }
    // A byte-order mark is how Excel says "UTF-8", not part of the first header.
    csv = csv.replace(/^\uFEFF/, '');
    if (csv.trim() === '') return setProblem(`“${file.name}” has no content.`);
    upload.mutate(
      { fileName: file.name.slice(0, FILE_NAME_MAX), csv },
      {
        onSuccess: (preview) => {
          setInputKey((key) => key + 1);
          onUploaded(preview);
        },
      },
    );
  };

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file !== undefined) void send(file);
  };
  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(true);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file !== undefined && !upload.isPending) void send(file);
  };

  return (
    <section aria-labelledby="import-upload" className="import-step">
      <H2 id="import-upload" className="section-title">
        1. Upload the PMO sheet
      </H2>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a mouse shortcut; the file input inside is the accessible control */}
      <div
        className={`import-drop${dragging ? ' import-drop--over' : ''}`}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="import-drop"
      >
        <label htmlFor={inputId} className="textarea-field__label">
          PMO spreadsheet (.csv)
        </label>
        <input
          key={inputKey}
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          aria-describedby={hintId}
          onChange={onChange}
          disabled={upload.isPending}
        />
        <Body id={hintId} className="muted">
          Or drop the file here. At most {LIMITS.importBytes / MIB} MiB and{' '}
          {LIMITS.importRows.toLocaleString('en-US')} rows, with one header row. Nothing changes until you
          apply.
        </Body>
      </div>
      {upload.isPending && <Body aria-live="polite">Reading the sheet…</Body>}
      {problem !== null && (
        <p role="alert" className="form-problems">
          {problem}
        </p>
      )}
      <ProblemNotice error={upload.error} what="The sheet was not accepted" />
    </section>
  );
}
