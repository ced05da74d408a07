import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { Decision } from '../../../../contract/api/decisions.ts';
import { AppLink } from '../../components/Nav.tsx';
import { DueDate, StatusBadge } from './fields.tsx';
import { decisionHref } from './listUrl.ts';

/** The register as a table: one row per decision, its title linking to the detail. */
export function DecisionTable({ items }: { items: Decision[] }) {
  return (
    <div className="table-scroll">
      <Table aria-label="Decisions" data-testid="decisions-table">
        <TableHead>
          <HeaderRow>
            <HeaderCell>Ref</HeaderCell>
            <HeaderCell>Workstream</HeaderCell>
            <HeaderCell>Decision</HeaderCell>
            <HeaderCell>Owner</HeaderCell>
            <HeaderCell>Status</HeaderCell>
            <HeaderCell>Depends on</HeaderCell>
            <HeaderCell>Next action</HeaderCell>
            <HeaderCell>Due date</HeaderCell>
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((d) => (
            <Row key={d.id} data-testid="decision-row" className={d.overdue ? 'dc-row--overdue' : undefined}>
              <Cell className="nowrap">{d.ref}</Cell>
              <Cell>{d.workstream}</Cell>
              <Cell>
                <AppLink to={decisionHref(d.id)} className="dc-name">
                  {d.title}
                </AppLink>
              </Cell>
              <Cell>{d.owner}</Cell>
              <Cell>
                <StatusBadge status={d.status} />
              </Cell>
              <Cell>
                {d.dependsOn.length === 0 ? (
                  <span className="dc-muted">—</span>
                ) : (
                  <span className="dc-deps">
                    {d.dependsOn.map((dep) => (
                      <AppLink key={dep.id} to={decisionHref(dep.id)} className="dc-ref">
                        {dep.ref}
                      </AppLink>
                    ))}
                  </span>
                )}
              </Cell>
              <Cell>
                <span className="dc-text">{d.nextAction || '—'}</span>
              </Cell>
              <Cell className="nowrap">
                <DueDate dueDate={d.dueDate} overdue={d.overdue} />
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
