import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { SessionSummary } from '../../../../contract/api/me.ts';
import { ROLE_LABEL } from '../../../../contract/roles.ts';
import { dateTime, relativeTime, truncate } from '../../../ui/format.ts';

interface SessionsTableProps {
  items: SessionSummary[];
  /** Show whose session each row is (the admin list). */
  showPerson: boolean;
  onEnd: (session: SessionSummary) => void;
  /** The session being ended right now, if any. */
  ending: string | null;
}

/** Live sessions with how they were authenticated and when they end; every row but this one can be ended. */
export function SessionsTable({ items, showPerson, onEnd, ending }: SessionsTableProps) {
  const columns = [
    ...(showPerson ? ['Person'] : []),
    'Session',
    'Signed in',
    'Last seen',
    'Ends',
    'Device',
    '',
  ];
  return (
    <div className="table-scroll">
      <Table aria-label="Sessions" data-testid="sessions-table">
        <TableHead>
          <HeaderRow>
            {columns.map((column) => (
              <HeaderCell key={column || 'actions'}>{column}</HeaderCell>
            ))}
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((session) => (
            <Row key={session.id} data-testid="session-row" data-session-id={session.id}>
              {showPerson && (
                <Cell>
                  <div>{session.person.name}</div>
                  <div className="muted">{session.person.email}</div>
                </Cell>
              )}
              <Cell>
                <div className="badges">
                  <Badge variant={session.kind === 'break_glass' ? 'red' : 'lightgray'}>
                    {session.kind === 'break_glass' ? 'Break-glass' : 'SSO'}
                  </Badge>
                  <span>{ROLE_LABEL[session.role]}</span>
                  {session.current && <Badge variant="green">This session</Badge>}
                </div>
                <div className="muted">
                  {session.amr.length > 0 ? `amr: ${session.amr.join(', ')}` : 'amr: —'}
                </div>
              </Cell>
              <Cell className="nowrap">{dateTime(session.createdAt)}</Cell>
              <Cell className="nowrap" title={dateTime(session.lastSeenAt)}>
                {relativeTime(session.lastSeenAt)}
              </Cell>
              <Cell className="nowrap">
                <div title="Ends when idle until">idle: {dateTime(session.idleExpiresAt)}</div>
                <div className="muted">at the latest: {dateTime(session.absoluteExpiresAt)}</div>
              </Cell>
              <Cell>
                <div>{session.ip ?? '—'}</div>
                <div className="muted" title={session.userAgent ?? undefined}>
                  {session.userAgent === null ? '' : truncate(session.userAgent, 60)}
                </div>
              </Cell>
              <Cell className="nowrap">
                {session.current ? (
                  <span className="muted">Use Sign out</span>
                ) : (
                  <Button
                    size="small"
                    variant="dangerOutline"
                    onClick={() => onEnd(session)}
                    disabled={ending !== null}
                    isLoading={ending === session.id}
                    loadingText="Ending…"
                  >
                    End session
                  </Button>
                )}
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
