import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type DecisionVersion, STATUS_LABEL } from '../../../../contract/api/decisions.ts';
import { dateTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { fieldLabel } from './fields.tsx';
import { useDecisionHistory } from './queries.ts';

function State({ version, refs }: { version: DecisionVersion; refs: Map<string, string> }) {
  const s = version.state;
  return (
    <details className="dc-state">
      <summary>Full state</summary>
      <dl className="dc-facts dc-facts--compact">
        <dt>Decision</dt>
        <dd>{s.title}</dd>
        <dt>Workstream</dt>
        <dd>{s.workstream}</dd>
        <dt>Owner</dt>
        <dd>{s.owner}</dd>
        <dt>Status</dt>
        <dd>{STATUS_LABEL[s.status]}</dd>
        <dt>Direction</dt>
        <dd className="dc-text">{s.direction || '—'}</dd>
        <dt>Depends on</dt>
        <dd>{s.dependsOn.length === 0 ? '—' : s.dependsOn.map((id) => refs.get(id) ?? id).join(', ')}</dd>
        <dt>Next action</dt>
        <dd className="dc-text">{s.nextAction || '—'}</dd>
        <dt>Due date</dt>
        <dd>{s.dueDate ?? '—'}</dd>
      </dl>
    </details>
  );
}

/** Every version of the decision, newest first: who, when, which fields, and the whole state. */
export function DecisionHistoryList({ id, refs }: { id: string; refs: Map<string, string> }) {
  const history = useDecisionHistory(id);
  return (
    <section aria-labelledby="dc-history">
      <H2 id="dc-history" className="dc-section-title">
        History
      </H2>
      {history.isPending && <Body aria-live="polite">Loading…</Body>}
      <ProblemNotice error={history.error} what="Couldn't load the history" />
      {history.data && (
        <div className="table-scroll">
          <Table aria-label="Versions" data-testid="decision-history">
            <TableHead>
              <HeaderRow>
                <HeaderCell>Version</HeaderCell>
                <HeaderCell>When</HeaderCell>
                <HeaderCell>Who</HeaderCell>
                <HeaderCell>Changed</HeaderCell>
                <HeaderCell>State</HeaderCell>
              </HeaderRow>
            </TableHead>
            <TableBody>
              {history.data.items.map((v) => (
                <Row key={v.version} data-testid="decision-version">
                  <Cell>{v.version}</Cell>
                  <Cell className="nowrap">{dateTime(v.changedAt)}</Cell>
                  <Cell>{v.changedBy?.name ?? 'System (seeded from the program decision map)'}</Cell>
                  <Cell>{v.changed.length === 0 ? 'Created' : v.changed.map(fieldLabel).join(', ')}</Cell>
                  <Cell>
                    <State version={v} refs={refs} />
                  </Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
