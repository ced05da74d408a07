import { Badge } from '@leafygreen-ui/badge';
import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { TextInput } from '@leafygreen-ui/text-input';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type FormEvent, useId, useState } from 'react';
import {
  SCIM_CREDENTIAL_MAX_ACTIVE,
  type ScimCredentialIssued,
  type ScimCredentialSummary,
} from '../../../../contract/api/scim.ts';
import { errorMessage } from '../../../ui/api.ts';
import { dateTime, relativeTime } from '../../../ui/format.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useMe } from '../../queries.ts';
import { isString, useSessionState } from '../../sessionState.ts';
import { IssuedScimToken } from './IssuedScimToken.tsx';
import { useCreateScimCredential, useRevokeScimCredential, useScimCredentials } from './queries.ts';

const NAME = /^[\w .@()-]+$/;

function creator(c: ScimCredentialSummary, myId: string | undefined): string {
  if (c.createdBy === null) return 'the CLI';
  return c.createdBy === myId ? 'you' : 'an admin';
}

/** The identity provider's SCIM bearer tokens: which exist, when last used; create (shown once) and revoke. */
export function ScimCredentialsSection() {
  const me = useMe();
  const list = useScimCredentials();
  const create = useCreateScimCredential();
  const revoke = useRevokeScimCredential();
  // The name survives "Verify it's you"; the token never leaves this component's memory.
  const [name, setName, clearName] = useSessionState('scim-name', '', isString);
  const [issued, setIssued] = useState<ScimCredentialIssued | null>(null);
  const nameId = useId();
  const items = list.data?.items ?? [];
  const active = items.filter((c) => c.status === 'active').length;
  const trimmed = name.trim();
  const nameOk = trimmed !== '' && trimmed.length <= 100 && NAME.test(trimmed);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!nameOk) return;
    create.mutate(trimmed, {
      onSuccess: (result) => {
        clearName();
        setIssued(result);
      },
    });
  };
  const onRevoke = (c: ScimCredentialSummary) => {
    if (
      !window.confirm(
        `Revoke “${c.name}” (${c.prefix}…)? The identity provider is refused from its next request.`,
      )
    )
      return;
    revoke.mutate(c.id);
  };

  return (
    <section aria-labelledby="scim-credentials" className="profile-section" data-testid="scim-credentials">
      <H2 id="scim-credentials" className="section-title">
        SCIM credentials
      </H2>
      <Body>
        The bearer tokens your identity provider uses to provision people and groups at <code>/scim/v2</code>.
        At most {SCIM_CREDENTIAL_MAX_ACTIVE} active at a time; creating and revoking need a recent MFA
        sign-in.
      </Body>
      {issued !== null && <IssuedScimToken issued={issued} onDone={() => setIssued(null)} />}
      <ProblemNotice error={revoke.error} what="Couldn't revoke" />
      {list.isPending && <Body aria-live="polite">Loading…</Body>}
      {list.isError && (
        <Banner variant="danger">Couldn't load SCIM credentials: {errorMessage(list.error)}</Banner>
      )}
      {list.isSuccess && items.length === 0 && <Body>No SCIM credentials yet.</Body>}
      {items.length > 0 && (
        <div className="table-scroll">
          <Table aria-label="SCIM credentials">
            <TableHead>
              <HeaderRow>
                {['Name', 'Status', 'Created', 'Last used', ''].map((c) => (
                  <HeaderCell key={c || 'actions'}>{c}</HeaderCell>
                ))}
              </HeaderRow>
            </TableHead>
            <TableBody>
              {items.map((c) => (
                <Row key={c.id} data-testid="scim-credential">
                  <Cell>
                    <strong>{c.name}</strong>
                    <div>
                      <code className="muted">{c.prefix}…</code>
                    </div>
                  </Cell>
                  <Cell>
                    <Badge variant={c.status === 'active' ? 'green' : 'red'}>{c.status}</Badge>
                    {c.revokedAt !== null && <div className="muted nowrap">{dateTime(c.revokedAt)}</div>}
                  </Cell>
                  <Cell>
                    <div className="nowrap">{dateTime(c.createdAt)}</div>
                    <div className="muted">by {creator(c, me.data?.person.id)}</div>
                  </Cell>
                  <Cell className="nowrap">
                    {c.lastUsedAt === null ? 'Never' : relativeTime(c.lastUsedAt)}
                  </Cell>
                  <Cell>
                    {c.status === 'active' && (
                      <Button
                        size="small"
                        variant="dangerOutline"
                        onClick={() => onRevoke(c)}
                        disabled={revoke.isPending}
                      >
                        Revoke
                      </Button>
                    )}
                  </Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <form className="inline-form scim-form" onSubmit={submit} noValidate>
        <TextInput
          id={nameId}
          label="New credential name"
          description="What it is for, e.g. okta-prod (letters, digits, spaces and . _ - @ ( ))"
          value={name}
          maxLength={100}
          state={trimmed === '' || nameOk ? 'none' : 'error'}
          errorMessage={
            trimmed === '' || nameOk ? undefined : 'Use letters, digits, spaces and . _ - @ ( ) only'
          }
          onChange={(change) => setName(change.target.value)}
        />
        <ProblemNotice error={create.error} what="Couldn't create the credential" />
        <div className="inline-form__buttons">
          <Button
            type="submit"
            variant="primary"
            disabled={!nameOk || create.isPending || active >= SCIM_CREDENTIAL_MAX_ACTIVE}
            isLoading={create.isPending}
          >
            Create SCIM credential
          </Button>
          {active >= SCIM_CREDENTIAL_MAX_ACTIVE && (
            <span className="muted">{SCIM_CREDENTIAL_MAX_ACTIVE} are active: revoke one first.</span>
          )}
        </div>
      </form>
    </section>
  );
}
