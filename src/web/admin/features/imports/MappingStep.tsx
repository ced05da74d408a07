import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useId, useState } from 'react';
import type { z } from 'zod';
import type { ImportColumn, ImportMapping, ImportPreview } from '../../../../contract/api/imports.ts';
import { IMPORT_FIELDS, type ImportField } from '../../../../contract/program.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useUpdateMapping } from './queries.ts';

type Column = z.infer<typeof ImportColumn>;
type BadgeVariant = 'green' | 'blue' | 'yellow' | 'lightgray' | 'red';

const IGNORE = '';
const FIELD_LABEL = new Map<string, string>(IMPORT_FIELDS.map((f) => [f.id, f.label]));

/** An issue or change names a field id (or a header, for file-level problems): say it as people do. */
export const fieldLabel = (field: string): string => FIELD_LABEL.get(field) ?? field;

const asField = (value: string): ImportField | null => IMPORT_FIELDS.find((f) => f.id === value)?.id ?? null;

/** How the field was chosen, as the badge says it. */
export function matchBadge(column: Column): { text: string; variant: BadgeVariant } {
  switch (column.match) {
    case 'learned':
      return { text: 'Learned', variant: 'green' };
    case 'exact':
      return { text: 'Exact', variant: 'blue' };
    case 'fuzzy':
      return { text: `Fuzzy ${Math.round(column.score * 100)}%`, variant: 'yellow' };
    case 'manual':
      return { text: 'Manual', variant: 'lightgray' };
    case 'none':
      return { text: 'Not mapped', variant: 'red' };
  }
}

/**
 * The change to send: just this column. The server keeps every other column's field, and a field goes to one
 * column only, so choosing a field another column holds moves it there (that column becomes ignored).
 */
export const remap = (column: Column, field: ImportField | null): ImportMapping => ({
  [column.header]: field,
});

function FieldSelect(props: {
  column: Column;
  value: ImportField | null;
  disabled: boolean;
  onChange: (field: ImportField | null) => void;
}) {
  const { column, value, disabled, onChange } = props;
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Field for column {column.header}
      </label>
      <select
        id={id}
        className="import-select"
        value={value ?? IGNORE}
        disabled={disabled}
        onChange={(event) => onChange(asField(event.target.value))}
      >
        <option value={IGNORE}>Ignore</option>
        {IMPORT_FIELDS.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label}
            {f.required ? ' (required)' : ''}
          </option>
        ))}
      </select>
    </>
  );
}

/**
 * Step 2: the file's columns, what the server proposed for each and why. A change is sent at once and the
 * table shows the server's answer (the preview below is recomputed with it).
 */
export function MappingStep({ preview }: { preview: ImportPreview }) {
  if (preview.status !== 'previewed') return <MappingUsed preview={preview} />;
  return <MappingEditor preview={preview} />;
}

/** Once applying starts the mapping is fixed (and an applied file is not kept): what each column filled. */
function MappingUsed({ preview }: { preview: ImportPreview }) {
  return (
    <section aria-labelledby="import-map" className="import-step">
      <H2 id="import-map" className="section-title">
        2. Columns
      </H2>
      <ul className="plain-list" aria-label="Column mapping used">
        {preview.columns.map((column) => (
          <li key={column.index} data-testid="mapping-used" data-header={column.header}>
            <strong>{column.header}</strong> →{' '}
            {column.field === null ? <span className="muted">ignored</span> : fieldLabel(column.field)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function MappingEditor({ preview }: { preview: ImportPreview }) {
  const update = useUpdateMapping();
  // What the person just chose, shown while the server re-previews (then its answer replaces it).
  const [pending, setPending] = useState<{ index: number; field: ImportField | null } | null>(null);

  const onChange = (column: Column, field: ImportField | null) => {
    setPending({ index: column.index, field });
    update.mutate({ id: preview.id, mapping: remap(column, field) }, { onSettled: () => setPending(null) });
  };
  const shown = (column: Column) => (pending?.index === column.index ? pending.field : column.field);
  const missing = preview.missingRequired.map(fieldLabel);

  return (
    <section aria-labelledby="import-map" className="import-step">
      <H2 id="import-map" className="section-title">
        2. Map the columns
      </H2>
      {missing.length > 0 && (
        <Banner variant="warning" data-testid="missing-required">
          Map a column to {missing.length === 1 ? 'the required field' : 'each required field'} before
          applying: {missing.join(', ')}.
        </Banner>
      )}
      {update.isPending && <Body aria-live="polite">Re-checking the rows with the new mapping…</Body>}
      <ProblemNotice error={update.error} what="The mapping was not changed" />
      <div className="table-scroll">
        <table className="mini-table" aria-label="Column mapping">
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Sample values</th>
              <th scope="col">Event field</th>
              <th scope="col">Matched</th>
            </tr>
          </thead>
          <tbody>
            {preview.columns.map((column) => {
              const badge = matchBadge(column);
              return (
                <tr key={column.index} data-testid="mapping-row" data-header={column.header}>
                  <th scope="row" className="import-header">
                    {column.header === '' ? <span className="muted">(no header)</span> : column.header}
                  </th>
                  <td className="import-samples">
                    {column.samples.length === 0 ? (
                      <span className="muted">(empty)</span>
                    ) : (
                      column.samples.map((sample, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: samples may repeat; their order is fixed
                        <span key={i} className="import-sample">
                          {sample}
                        </span>
                      ))
                    )}
                  </td>
                  <td>
                    <FieldSelect
                      column={column}
                      value={shown(column)}
                      disabled={update.isPending}
                      onChange={(field) => onChange(column, field)}
                    />
                  </td>
                  <td>
                    <Badge variant={badge.variant} data-testid="match-badge">
                      {badge.text}
                    </Badge>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
