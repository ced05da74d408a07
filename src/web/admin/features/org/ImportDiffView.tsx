import { Body, H3 } from '@leafygreen-ui/typography';
import type { ReactNode } from 'react';
import type { ImportDiff, ImportMover } from '../../../../contract/api/directory.ts';

type DiffValue = ImportMover['changes'][number]['before'];
const show = (value: DiffValue) =>
  value === null ? '(none)' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;

const FIELD: Record<ImportMover['changes'][number]['field'], string> = {
  email: 'E-mail',
  name: 'Name',
  employeeNumber: 'Employee number',
  manager: 'Manager',
  department: 'Department',
  title: 'Title',
  builderRelations: 'Builder Relations',
  status: 'Status',
  orgSource: 'Managed by',
};

function Part({
  title,
  count,
  listed,
  columns,
  children,
}: {
  title: string;
  count: number;
  listed: number;
  columns: string[];
  /** The table body. */
  children: ReactNode;
}) {
  if (count === 0) return null;
  return (
    <div className="diff-part">
      <H3 as="h3">
        {title} ({count})
      </H3>
      <div className="table-scroll">
        <table className="mini-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          {children}
        </table>
      </div>
      {listed < count && <Body className="muted">The first {listed} are listed.</Body>}
    </div>
  );
}

/** What an HR file would change: joiners, movers field by field, leavers, and conflicts with SCIM. */
export function ImportDiffView({ diff }: { diff: ImportDiff }) {
  const { counts } = diff;
  return (
    <div className="import-diff" data-testid="import-diff">
      <dl className="totals" aria-label="Import counts">
        {(
          [
            ['Rows', counts.rows],
            ['Joiners', counts.joiners],
            ['Movers', counts.movers],
            ['Leavers', counts.leavers],
            ['Unchanged', counts.unchanged],
            ['Conflicts', counts.conflicts],
            ['Managed by SCIM', counts.otherSource],
          ] as const
        ).map(([label, n]) => (
          <div key={label} className="totals__item">
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {diff.ignoredColumns.length > 0 && (
        <Body className="muted">Ignored columns: {diff.ignoredColumns.join(', ')}</Body>
      )}
      <Part
        title="Joiners"
        count={counts.joiners}
        listed={diff.joiners.length}
        columns={['Row', 'Employee', 'E-mail', 'Department, title', 'Manager', 'BR']}
      >
        <tbody>
          {diff.joiners.map((j) => (
            <tr key={`${j.row}:${j.employeeNumber}`}>
              <td>{j.row}</td>
              <td>
                {j.name} <span className="muted">{j.employeeNumber}</span>
              </td>
              <td>{j.email}</td>
              <td>{[j.department, j.title].filter(Boolean).join(', ') || '—'}</td>
              <td>{j.manager ?? '(top of the org)'}</td>
              <td>{j.builderRelations ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </Part>
      <Part
        title="Movers"
        count={counts.movers}
        listed={diff.movers.length}
        columns={['Row', 'Person', 'Changes (before → after)']}
      >
        <tbody>
          {diff.movers.map((m) => (
            <tr key={m.personId} data-testid="import-mover">
              <td>{m.row}</td>
              <td>
                {m.name} <span className="muted">{m.employeeNumber}</span>
              </td>
              <td>
                <ul className="plain-list">
                  {m.changes.map((c) => (
                    <li key={c.field}>
                      <span className="muted">{FIELD[c.field]}:</span> {show(c.before)} →{' '}
                      <strong>{show(c.after)}</strong>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </Part>
      <Part
        title="Leavers (deactivated on apply)"
        count={counts.leavers}
        listed={diff.leavers.length}
        columns={['Person', 'E-mail', 'Employee number']}
      >
        <tbody>
          {diff.leavers.map((l) => (
            <tr key={l.personId}>
              <td>{l.name}</td>
              <td>{l.email}</td>
              <td>{l.employeeNumber ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </Part>
      <Part
        title="Conflicts (recorded, not applied)"
        count={counts.conflicts}
        listed={diff.conflicts.length}
        columns={['Row', 'Person', 'Field: in effect / HR file says']}
      >
        <tbody>
          {diff.conflicts.map((c) => (
            <tr key={`${c.row}:${c.personId}`}>
              <td>{c.row}</td>
              <td>
                {c.name}{' '}
                <span className="muted">managed by {c.managingSource === 'scim' ? 'SCIM' : 'HR feed'}</span>
              </td>
              <td>
                <ul className="plain-list">
                  {c.fields.map((f) => (
                    <li key={f.field}>
                      <span className="muted">{FIELD[f.field]}:</span> {show(f.inEffect)} / {show(f.asserted)}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </Part>
      {diff.truncated && (
        <Body className="muted">
          Some lists are long: only their first items are shown; the counts are exact.
        </Body>
      )}
    </div>
  );
}
