import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { errorMessage } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useMe } from '../../queries.ts';
import { type AdminAction, AdminTokenActions } from './AdminTokenActions.tsx';
import {
  type AdminTokenFilters,
  type TokenKind,
  type TokenStatus,
  useAdminTokenAction,
  useAdminTokens,
} from './queries.ts';
import { TokenDates, TokenName, TokenNotes } from './TokenDetails.tsx';
import { TokenStatusBadge } from './TokenStatusBadge.tsx';

const STATUSES: TokenStatus[] = ['requested', 'approved', 'active', 'rejected', 'revoked'];
const KINDS: TokenKind[] = ['personal', 'service'];
const ALL = 'all';

/** Admin → Tokens: every API token and service token request; decide requests, revoke tokens. */
export function AdminTokensPage() {
  const me = useMe();
  const [filters, setFilters] = useState<AdminTokenFilters>({});
  const pages = useAdminTokens(filters);
  const act = useAdminTokenAction();
  const [done, setDone] = useState<string | null>(null);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];

  const onAct = (id: string, name: string, action: AdminAction, text: string) => {
    setDone(null);
    const past = { approve: 'Approved', reject: 'Rejected', revoke: 'Revoked' }[action];
    act.mutate({ id, action, text }, { onSuccess: () => setDone(`${past} “${name}”.`) });
  };

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>API tokens</H1>
        <div className="filters">
          <Select
            label="Status"
            size="small"
            allowDeselect={false}
            value={filters.status ?? ALL}
            onChange={(value: string) =>
              setFilters({ ...filters, status: STATUSES.find((status) => status === value) })
            }
            className="filters__select"
          >
            <Option value={ALL}>All statuses</Option>
            {STATUSES.map((status) => (
              <Option key={status} value={status}>
                {status}
              </Option>
            ))}
          </Select>
          <Select
            label="Kind"
            size="small"
            allowDeselect={false}
            value={filters.kind ?? ALL}
            onChange={(value: string) =>
              setFilters({ ...filters, kind: KINDS.find((kind) => kind === value) })
            }
            className="filters__select"
          >
            <Option value={ALL}>All kinds</Option>
            {KINDS.map((kind) => (
              <Option key={kind} value={kind}>
                {kind}
              </Option>
            ))}
          </Select>
        </div>
      </div>
      <Body>
        Service token requests need an admin other than the requester. Decisions and revocations need a recent
        MFA sign-in and are audited.
      </Body>
      <ProblemNotice error={act.error} what="Couldn't do that" />
      {done !== null && <Banner variant="success">{done}</Banner>}
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && <Banner variant="danger">Couldn't load tokens: {errorMessage(pages.error)}</Banner>}
      {pages.isSuccess && items.length === 0 && <Body>No tokens match.</Body>}
      {items.length > 0 && (
        <div className="table-scroll">
          <Table aria-label="API tokens" data-testid="admin-tokens-table">
            <TableHead>
              <HeaderRow>
                {['Token', 'Owner', 'Status', 'Dates', 'Notes', ''].map((column) => (
                  <HeaderCell key={column || 'actions'}>{column}</HeaderCell>
                ))}
              </HeaderRow>
            </TableHead>
            <TableBody>
              {items.map((token) => (
                <Row key={token.id} data-testid="token-row">
                  <Cell>
                    <TokenName token={token} />
                  </Cell>
                  <Cell>{token.owner.name}</Cell>
                  <Cell>
                    <TokenStatusBadge token={token} />
                  </Cell>
                  <Cell>
                    <TokenDates token={token} />
                  </Cell>
                  <Cell>
                    <TokenNotes token={token} />
                  </Cell>
                  <Cell>
                    <AdminTokenActions
                      key={`${token.id}:${token.status}`}
                      token={token}
                      own={token.owner.id === me.data?.person.id}
                      busy={act.isPending}
                      onAct={(action, text) => onAct(token.id, token.name, action, text)}
                    />
                  </Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {pages.hasNextPage && (
        <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </main>
  );
}
