import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { ClaimsModelVersion } from '../../../../contract/api/claims-model.ts';
import { dateTime } from '../../../ui/format.ts';

interface VersionsTableProps {
  items: ClaimsModelVersion[];
  myId: string;
  approving: boolean;
  onApprove: (version: number) => void;
}

/** Every version, newest (active) first: why, who changed it, who approved it. */
export function VersionsTable({ items, myId, approving, onApprove }: VersionsTableProps) {
  return (
    <div className="table-scroll">
      <Table aria-label="Claims model versions" data-testid="claims-model-versions">
        <TableHead>
          <HeaderRow>
            {['Version', 'Reason', 'Changed', 'Approved'].map((column) => (
              <HeaderCell key={column}>{column}</HeaderCell>
            ))}
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((v) => (
            <Row key={v.version} data-testid="claims-model-version-row">
              <Cell>
                <div className="badges">
                  <strong>v{v.version}</strong>
                  {v.status === 'active' ? (
                    <Badge variant="green">Active</Badge>
                  ) : (
                    <Badge variant="lightgray">Superseded</Badge>
                  )}
                </div>
              </Cell>
              <Cell>{v.reason}</Cell>
              <Cell>
                <div>{v.createdBy?.name ?? 'System (deployment)'}</div>
                <div className="muted nowrap">{dateTime(v.createdAt)}</div>
              </Cell>
              <Cell>
                {v.approvedBy !== null ? (
                  <>
                    <div>{v.approvedBy.name}</div>
                    <div className="muted nowrap">{v.approvedAt === null ? '' : dateTime(v.approvedAt)}</div>
                  </>
                ) : v.status === 'active' && v.createdBy?.id !== myId ? (
                  <Button
                    size="small"
                    variant="primary"
                    disabled={approving}
                    onClick={() => onApprove(v.version)}
                  >
                    Approve v{v.version}
                  </Button>
                ) : (
                  <span className="muted">
                    {v.status === 'active' ? 'Not approved — another admin approves it' : 'Not approved'}
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
