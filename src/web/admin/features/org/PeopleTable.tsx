import { Badge } from '@leafygreen-ui/badge';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import type { OrgPersonRow } from '../../../../contract/api/directory.ts';
import { ROLE_LABEL } from '../../../../contract/roles.ts';
import { AppLink } from '../../components/Nav.tsx';
import { EntitlementList } from './EntitlementList.tsx';

const STATUS_VARIANT = { active: 'green', provisional: 'yellow', deactivated: 'lightgray' } as const;
const ORG_SOURCE_TEXT = { scim: 'SCIM', hr: 'HR feed' } as const;

export function PersonStatusBadge({ status }: { status: OrgPersonRow['status'] }) {
  return <Badge variant={STATUS_VARIANT[status]}>{status}</Badge>;
}

export function RoleBadge({ role }: { role: OrgPersonRow['role'] }) {
  return role === null ? (
    <Badge variant="lightgray">No access</Badge>
  ) : (
    <Badge variant={role === 'admin' ? 'green' : role === 'manager' ? 'purple' : 'blue'}>
      {ROLE_LABEL[role]}
    </Badge>
  );
}

export const orgSourceText = (source: OrgPersonRow['orgSource']) =>
  source === null ? 'SSO only' : ORG_SOURCE_TEXT[source];

/** People with their effective role, scope and the reasons behind it. */
export function PeopleTable({ items }: { items: OrgPersonRow[] }) {
  return (
    <div className="table-scroll">
      <Table aria-label="People" data-testid="people-table">
        <TableHead>
          <HeaderRow>
            {['Person', 'Org', 'Effective access', 'Why (entitlements)'].map((column) => (
              <HeaderCell key={column}>{column}</HeaderCell>
            ))}
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((p) => (
            <Row key={p.id} data-testid="person-row" data-person-id={p.id}>
              <Cell>
                <AppLink to={`/admin/people/${p.id}`}>
                  <strong>{p.name}</strong>
                </AppLink>
                <div className="muted">{p.email}</div>
                <div className="badges">
                  <PersonStatusBadge status={p.status} />
                  {p.hasException && <Badge variant="yellow">Exception</Badge>}
                </div>
              </Cell>
              <Cell>
                <div>{[p.title, p.department].filter(Boolean).join(', ') || '—'}</div>
                <div className="muted">
                  {p.manager === null ? 'No manager' : `Reports to ${p.manager.name}`}
                </div>
                <div className="muted">
                  Source: {orgSourceText(p.orgSource)}
                  {p.team === null ? '' : ` · team ${p.team}`}
                </div>
              </Cell>
              <Cell>
                <RoleBadge role={p.role} />
                <div className="muted">{p.scopeLabel}</div>
              </Cell>
              <Cell>
                <EntitlementList items={p.entitlements} compact />
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
