import { Badge } from '@leafygreen-ui/badge';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { RuleSetVersion } from '../../../../contract/api/access.ts';
import { dateTime } from '../../../ui/format.ts';

const VARIANT = { active: 'green', pending: 'yellow', superseded: 'lightgray', rejected: 'red' } as const;

function rejectedText(v: RuleSetVersion): string {
  const by = v.rejection?.by ?? null;
  if (by === null) return 'Rejected';
  return by.id === v.createdBy?.id ? `Withdrawn by ${by.name}` : `Rejected by ${by.name}`;
}

/** Recent versions, newest first: why, who proposed, who approved or rejected, when it took effect. */
export function VersionHistory({ versions }: { versions: RuleSetVersion[] }) {
  return (
    <div className="table-scroll">
      <Table aria-label="Rule set versions" data-testid="rules-history">
        <TableHead>
          <HeaderRow>
            {['Version', 'Reason', 'Proposed', 'Decided', 'Changes'].map((column) => (
              <HeaderCell key={column}>{column}</HeaderCell>
            ))}
          </HeaderRow>
        </TableHead>
        <TableBody>
          {versions.map((v) => (
            <Row key={v.version}>
              <Cell>
                <div className="badges">
                  <strong>v{v.version}</strong>
                  <Badge variant={VARIANT[v.status]}>{v.status}</Badge>
                </div>
              </Cell>
              <Cell>{v.reason}</Cell>
              <Cell>
                <div>{v.createdBy?.name ?? 'System (initial configuration)'}</div>
                <div className="muted nowrap">{dateTime(v.createdAt)}</div>
              </Cell>
              <Cell>
                {v.rejection !== null ? (
                  <>
                    <div>{rejectedText(v)}</div>
                    <div className="muted">
                      {dateTime(v.rejection.at)}
                      {v.rejection.note === null ? '' : `: ${v.rejection.note}`}
                    </div>
                  </>
                ) : v.approvedBy !== null ? (
                  <>
                    <div>Approved by {v.approvedBy.name}</div>
                    <div className="muted nowrap">{v.approvedAt === null ? '' : dateTime(v.approvedAt)}</div>
                  </>
                ) : v.activatedAt !== null ? (
                  <span className="muted">Active without a second approval, {dateTime(v.activatedAt)}</span>
                ) : (
                  <span className="muted">Waiting for approval</span>
                )}
              </Cell>
              <Cell>
                {v.proposal === null ? (
                  <span className="muted">Initial</span>
                ) : (
                  <span>
                    {v.proposal.changedRules.join(', ') || '—'}
                    <span className="muted">
                      {' '}
                      (+{v.proposal.gains} / −{v.proposal.losses})
                    </span>
                  </span>
                )}
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
