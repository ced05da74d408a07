import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { AccessException } from '../../../../contract/api/access.ts';
import type { Me } from '../../../../contract/api/me.ts';
import { ROLE_LABEL } from '../../../../contract/roles.ts';
import { dateTime } from '../../../ui/format.ts';
import { ExceptionActions } from './ExceptionActions.tsx';
import { ExceptionStatusBadge } from './ExceptionStatusBadge.tsx';
import type { ExceptionAction } from './queries.ts';

interface ExceptionsTableProps {
  items: AccessException[];
  me: Me;
  busy: boolean;
  onAct: (exception: AccessException, action: ExceptionAction, text: string) => void;
}

function Decision({ e }: { e: AccessException }) {
  return (
    <>
      {e.decidedBy !== null && (
        <div>
          {e.status === 'rejected' ? 'Rejected' : 'Approved'} by {e.decidedBy.name}
          {e.decidedAt === null ? '' : `, ${dateTime(e.decidedAt)}`}
          {e.decisionNote === null ? '' : `: ${e.decisionNote}`}
        </div>
      )}
      {e.revokedBy !== null && (
        <div className="muted">
          Revoked by {e.revokedBy.name}
          {e.revokedAt === null ? '' : `, ${dateTime(e.revokedAt)}`}
          {e.revokeReason === null ? '' : `: ${e.revokeReason}`}
        </div>
      )}
      {e.decidedBy === null && e.revokedBy === null && <span className="muted">Not decided</span>}
    </>
  );
}

/** Exceptions with who, what, why, until when, who decided, and what this person may do. */
export function ExceptionsTable({ items, me, busy, onAct }: ExceptionsTableProps) {
  return (
    <div className="table-scroll">
      <Table aria-label="Access exceptions" data-testid="exceptions-table">
        <TableHead>
          <HeaderRow>
            {['For', 'Access', 'Status', 'Why', 'Decision', ''].map((column) => (
              <HeaderCell key={column || 'actions'}>{column}</HeaderCell>
            ))}
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((e) => (
            <Row key={e.id} data-testid="exception-row" data-exception-id={e.id}>
              <Cell>
                <strong>{e.subject.name}</strong>
                <div className="muted">{e.subject.email}</div>
              </Cell>
              <Cell>
                <div>{ROLE_LABEL[e.role]}</div>
                <div className="muted">{e.scopeLabel}</div>
              </Cell>
              <Cell>
                <ExceptionStatusBadge exception={e} />
                <div className="muted nowrap">until {dateTime(e.expiresAt)}</div>
              </Cell>
              <Cell>
                <div className="cell-text">{e.justification}</div>
                <div className="muted">
                  Asked by {e.requestedBy.name}, {dateTime(e.requestedAt)}
                </div>
              </Cell>
              <Cell>
                <Decision e={e} />
              </Cell>
              <Cell>
                <ExceptionActions
                  key={`${e.id}:${e.status}`}
                  exception={e}
                  me={me}
                  busy={busy}
                  onAct={(action, text) => onAct(e, action, text)}
                />
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
