import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H2 } from '@leafygreen-ui/typography';
import type { BreakGlassApproval, BreakGlassPrincipal } from '../../../../contract/api/break-glass.ts';
import { dateTime } from '../../../ui/format.ts';

const when = (iso: string | null) => (iso === null ? '—' : dateTime(iso));

function Head({ columns }: { columns: string[] }) {
  return (
    <TableHead>
      <HeaderRow>
        {columns.map((column) => (
          <HeaderCell key={column || 'actions'}>{column}</HeaderCell>
        ))}
      </HeaderRow>
    </TableHead>
  );
}

/** The enrolled principals (enrolment and revocation are CLI-only: `bi break-glass …`). */
export function Principals({ items }: { items: BreakGlassPrincipal[] }) {
  return (
    <section aria-labelledby="bg-principals">
      <H2 id="bg-principals" className="section-title">
        Principals
      </H2>
      {items.length === 0 ? (
        <Body>
          None enrolled. Enrol with <code>npm run bi -- break-glass enroll --name &lt;name&gt;</code>.
        </Body>
      ) : (
        <div className="table-scroll">
          <Table aria-label="Break-glass principals">
            <Head columns={['Name', 'Status', 'Enrolled', 'Last used', 'Last drill', 'Locked until']} />
            <TableBody>
              {items.map((p) => (
                <Row key={p.id}>
                  <Cell>
                    <code>{p.name}</code>
                  </Cell>
                  <Cell>
                    <Badge variant={p.status === 'active' ? 'green' : 'lightgray'}>{p.status}</Badge>
                  </Cell>
                  <Cell>{when(p.enrolledAt)}</Cell>
                  <Cell>{when(p.lastUsedAt)}</Cell>
                  <Cell>{when(p.lastDrillAt)}</Cell>
                  <Cell>{when(p.lockedUntil)}</Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}

interface ApprovalsProps {
  items: BreakGlassApproval[];
  busy: boolean;
  onDecide: (approval: BreakGlassApproval, decision: 'approve' | 'deny') => void;
}

/** Requests made while the identity provider is up: a second admin approves or denies each. */
export function Approvals({ items, busy, onDecide }: ApprovalsProps) {
  return (
    <section aria-labelledby="bg-approvals">
      <H2 id="bg-approvals" className="section-title">
        Requests
      </H2>
      {items.length === 0 ? (
        <Body>No pending or unused approved requests.</Body>
      ) : (
        <div className="table-scroll">
          <Table aria-label="Break-glass requests" data-testid="break-glass-approvals">
            <Head columns={['Principal', 'Reason', 'Status', 'Requested', 'Expires', '']} />
            <TableBody>
              {items.map((a) => (
                <Row key={a.id}>
                  <Cell>
                    <code>{a.principal}</code>
                  </Cell>
                  <Cell>{a.reason}</Cell>
                  <Cell>
                    <Badge variant={a.status === 'pending' ? 'yellow' : 'blue'}>{a.status}</Badge>
                  </Cell>
                  <Cell>{when(a.requestedAt)}</Cell>
                  <Cell>{when(a.expiresAt)}</Cell>
                  <Cell>
                    {a.status === 'pending' && (
                      <div className="inline-form__buttons">
                        <Button
                          size="small"
                          variant="danger"
                          disabled={busy}
                          onClick={() => onDecide(a, 'approve')}
                        >
                          Approve
                        </Button>
                        <Button size="small" disabled={busy} onClick={() => onDecide(a, 'deny')}>
                          Deny
                        </Button>
                      </div>
                    )}
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
