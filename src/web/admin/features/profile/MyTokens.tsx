import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { ApiTokenIssued, ApiTokenSummary } from '../../../../contract/api/tokens.ts';
import type { Role } from '../../../../contract/roles.ts';
import { errorMessage } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import {
  displayStatus,
  useCreateToken,
  useIssueToken,
  useMyTokens,
  useRequestServiceToken,
  useRevokeMine,
} from '../tokens/queries.ts';
import { TokenDates, TokenName, TokenNotes } from '../tokens/TokenDetails.tsx';
import { TokenStatusBadge } from '../tokens/TokenStatusBadge.tsx';
import { IssuedToken } from './IssuedToken.tsx';
import { TokenForm } from './TokenForm.tsx';

/** My API tokens: create a personal one, request and then issue a service one, revoke. */
export function MyTokens({ role }: { role: Role }) {
  const tokens = useMyTokens();
  const create = useCreateToken();
  const request = useRequestServiceToken();
  const issue = useIssueToken();
  const revoke = useRevokeMine();
  const [form, setForm] = useState<'personal' | 'service' | null>(null);
  const [issued, setIssued] = useState<ApiTokenIssued | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const error = create.error ?? request.error ?? issue.error ?? revoke.error;

  const showOnce = (token: ApiTokenIssued) => {
    setForm(null);
    setIssued(token);
  };
  const done = () => {
    setIssued(null);
    create.reset();
    issue.reset();
  };
  const onRevoke = (token: ApiTokenSummary) => {
    const withdraw = token.status === 'requested';
    if (
      !window.confirm(
        withdraw
          ? `Withdraw the request “${token.name}”?`
          : `Revoke “${token.name}”? Anything using it stops working.`,
      )
    )
      return;
    revoke.mutate(
      { id: token.id, reason: '' },
      { onSuccess: () => setNote(withdraw ? 'Request withdrawn.' : 'Token revoked.') },
    );
  };

  return (
    <section className="profile-section" aria-labelledby="my-tokens">
      <div className="page-head">
        <H2 id="my-tokens" className="section-title">
          Your API tokens
        </H2>
        {form === null && (
          <div className="inline-form__buttons">
            <Button onClick={() => setForm('personal')}>New personal token</Button>
            <Button onClick={() => setForm('service')}>Request service token</Button>
          </div>
        )}
      </div>
      <Body>
        A token acts as you, within your current role and scope, limited to its scopes, until it expires (at
        most 90 days). Creating one needs a recent sign-in.
      </Body>
      {issued !== null && <IssuedToken issued={issued} onDone={done} />}
      <ProblemNotice error={error} what="Couldn't do that" />
      {note !== null && <Banner variant="success">{note}</Banner>}
      {form !== null && (
        <TokenForm
          kind={form}
          role={role}
          busy={create.isPending || request.isPending}
          onCancel={() => setForm(null)}
          onSubmit={(body, justification) => {
            setNote(null);
            if (form === 'personal') create.mutate(body, { onSuccess: showOnce });
            else
              request.mutate(
                { ...body, justification },
                {
                  onSuccess: () => {
                    setForm(null);
                    setNote('Requested. An admin other than you approves it; then issue it here.');
                  },
                },
              );
          }}
        />
      )}
      {tokens.isPending && <Body aria-live="polite">Loading…</Body>}
      {tokens.isError && (
        <Banner variant="danger">Couldn't load your tokens: {errorMessage(tokens.error)}</Banner>
      )}
      {tokens.isSuccess && tokens.data.items.length === 0 && <Body>You have no API tokens.</Body>}
      {tokens.isSuccess && tokens.data.items.length > 0 && (
        <div className="table-scroll">
          <Table aria-label="Your API tokens" data-testid="my-tokens-table">
            <TableHead>
              <HeaderRow>
                {['Token', 'Status', 'Dates', 'Notes', ''].map((column) => (
                  <HeaderCell key={column || 'actions'}>{column}</HeaderCell>
                ))}
              </HeaderRow>
            </TableHead>
            <TableBody>
              {tokens.data.items.map((token) => {
                const status = displayStatus(token);
                const open = status === 'requested' || status === 'approved' || status === 'active';
                return (
                  <Row key={token.id} data-testid="token-row">
                    <Cell>
                      <TokenName token={token} />
                    </Cell>
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
                      <div className="inline-form__buttons">
                        {token.status === 'approved' && (
                          <Button
                            size="small"
                            variant="primary"
                            disabled={issue.isPending}
                            onClick={() => issue.mutate(token.id, { onSuccess: showOnce })}
                          >
                            Issue token
                          </Button>
                        )}
                        {open && (
                          <Button
                            size="small"
                            variant="dangerOutline"
                            disabled={revoke.isPending}
                            onClick={() => onRevoke(token)}
                          >
                            {token.status === 'requested' ? 'Withdraw' : 'Revoke'}
                          </Button>
                        )}
                      </div>
                    </Cell>
                  </Row>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
