import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Body, H2 } from '@leafygreen-ui/typography';
import type {
  ImportCounts,
  ImportPreview,
  ImportRow,
  ImportRowAction,
} from '../../../../contract/api/imports.ts';
import { fieldLabel } from './MappingStep.tsx';
import { ROWS_PAGE, type RowsFilter } from './queries.ts';

type BadgeVariant = 'green' | 'blue' | 'lightgray' | 'red' | 'yellow';

const ACTION: Record<ImportRowAction, { text: string; variant: BadgeVariant }> = {
  create: { text: 'Create', variant: 'green' },
  update: { text: 'Update', variant: 'blue' },
  unchanged: { text: 'Unchanged', variant: 'lightgray' },
  error: { text: 'Error', variant: 'red' },
  duplicate_in_file: { text: 'Duplicate in file', variant: 'yellow' },
  blank: { text: 'Blank', variant: 'lightgray' },
};

/** The count chips, in the order a person reads the outcome. `key` is also the chip's test id suffix. */
const CHIPS: { key: keyof ImportCounts; label: string; tone: string }[] = [
  { key: 'create', label: 'New', tone: 'good' },
  { key: 'update', label: 'Updated', tone: 'info' },
  { key: 'unchanged', label: 'Unchanged', tone: 'plain' },
  { key: 'error', label: 'Errors', tone: 'bad' },
  { key: 'duplicateInFile', label: 'Duplicates in file', tone: 'warn' },
  { key: 'blank', label: 'Blank', tone: 'plain' },
  { key: 'warnings', label: 'With warnings', tone: 'warn' },
];

const FILTERS: { id: RowsFilter; label: string }[] = [
  { id: 'all', label: 'All rows' },
  { id: 'issues', label: 'Errors and warnings' },
  { id: 'changes', label: 'New and updated' },
];

export function CountChips({ counts }: { counts: ImportCounts }) {
  return (
    <ul className="import-chips" aria-label="Rows by outcome">
      <li className="import-chip" data-testid="count-totalRows">
        Rows <strong>{counts.totalRows}</strong>
      </li>
      {CHIPS.map((chip) => (
        <li
          key={chip.key}
          className={`import-chip import-chip--${counts[chip.key] === 0 ? 'plain' : chip.tone}`}
          data-testid={`count-${chip.key}`}
        >
          {chip.label} <strong>{counts[chip.key]}</strong>
        </li>
      ))}
    </ul>
  );
}

function Issues({ row }: { row: ImportRow }) {
  if (row.errors.length === 0 && row.warnings.length === 0) return null;
  return (
    <ul className="plain-list">
      {row.errors.map((issue) => (
        <li key={`e:${issue.field}:${issue.message}`} className="error-text" data-testid="row-error">
          <strong>{fieldLabel(issue.field)}:</strong> {issue.message}
        </li>
      ))}
      {row.warnings.map((issue) => (
        <li key={`w:${issue.field}:${issue.message}`} className="import-warning" data-testid="row-warning">
          <strong>{fieldLabel(issue.field)}:</strong> {issue.message}
        </li>
      ))}
    </ul>
  );
}

interface PreviewStepProps {
  preview: ImportPreview;
  filter: RowsFilter;
  onFilter: (filter: RowsFilter) => void;
  offset: number;
  onOffset: (offset: number) => void;
  /** A page or filter is being fetched (the rows shown are the previous ones). */
  loading: boolean;
}

/** Step 3: what applying would do, row by row, with the rows filtered and paged by the server. */
export function PreviewStep(props: PreviewStepProps) {
  const { preview } = props;
  if (preview.status === 'applying' || preview.status === 'applied') return <Outcome preview={preview} />;
  return <PreviewRows {...props} />;
}

/** While applying the counts grow row by row; once applied they are what was done (rows are not kept). */
function Outcome({ preview }: { preview: ImportPreview }) {
  return (
    <section aria-labelledby="import-preview" className="import-step">
      <H2 id="import-preview" className="section-title">
        3. {preview.status === 'applied' ? 'Outcome' : 'Outcome so far'}
      </H2>
      <CountChips counts={preview.counts} />
    </section>
  );
}

function PreviewRows({ preview, filter, onFilter, offset, onOffset, loading }: PreviewStepProps) {
  const { rows, rowsTotal } = preview;
  const first = rowsTotal === 0 ? 0 : preview.rowsOffset + 1;
  const last = preview.rowsOffset + rows.length;
  return (
    <section aria-labelledby="import-preview" className="import-step">
      <H2 id="import-preview" className="section-title">
        3. Preview
      </H2>
      <CountChips counts={preview.counts} />
      <Body className="muted">
        Rows match existing events on event name and start date: a match is updated, the rest are created.
        Rows with errors are skipped; rows with warnings import.
      </Body>
      <fieldset className="import-filter">
        <legend className="textarea-field__label">Show</legend>
        {FILTERS.map((f) => (
          <label key={f.id} className="import-filter__option">
            <input
              type="radio"
              name="import-rows"
              value={f.id}
              checked={filter === f.id}
              onChange={() => onFilter(f.id)}
            />
            {f.label}
          </label>
        ))}
      </fieldset>
      <div className={`table-scroll${loading ? ' is-refreshing' : ''}`} aria-busy={loading}>
        <table className="mini-table" aria-label="Preview rows">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Outcome</th>
              <th scope="col">Event name</th>
              <th scope="col">Start date</th>
              <th scope="col">Changes</th>
              <th scope="col">Errors and warnings</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.line} data-testid="preview-row" data-line={row.line} data-action={row.action}>
                <td className="nowrap">{row.line}</td>
                <td>
                  <Badge variant={ACTION[row.action].variant}>{ACTION[row.action].text}</Badge>
                </td>
                <td className="cell-text">{row.name ?? <span className="muted">—</span>}</td>
                <td className="nowrap">{row.startsOn ?? <span className="muted">—</span>}</td>
                <td>{row.changes.length === 0 ? '' : row.changes.map(fieldLabel).join(', ')}</td>
                <td className="cell-text">
                  <Issues row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rowsTotal === 0 ? (
        <Body>No rows to show{filter === 'all' ? '' : ' with this filter'}.</Body>
      ) : (
        <div className="import-pager">
          <Body aria-live="polite" data-testid="rows-range">
            Rows {first}–{last} of {rowsTotal}
          </Body>
          <Button
            size="small"
            disabled={loading || offset === 0}
            onClick={() => onOffset(Math.max(0, offset - ROWS_PAGE))}
          >
            Previous
          </Button>
          <Button
            size="small"
            disabled={loading || last >= rowsTotal}
            onClick={() => onOffset(offset + ROWS_PAGE)}
          >
            Next
          </Button>
        </div>
      )}
    </section>
  );
}
