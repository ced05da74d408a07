import { Banner } from '@leafygreen-ui/banner';
import { TextInput } from '@leafygreen-ui/text-input';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useId, useState } from 'react';
import type { SessionSummary } from '../../../../contract/api/me.ts';
import { errorMessage } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useAllSessions, useEndSession } from './queries.ts';
import { SessionsTable } from './SessionsTable.tsx';

const matches = (session: SessionSummary, filter: string) =>
  `${session.person.name} ${session.person.email} ${session.ip ?? ''}`.toLowerCase().includes(filter);

/** Admin → Sessions: everyone's live sessions; end any of them (needs a recent MFA sign-in). */
export function AdminSessionsPage() {
  const sessions = useAllSessions();
  const end = useEndSession('admin');
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const [ended, setEnded] = useState<string | null>(null);
  const items = (sessions.data?.items ?? []).filter((session) =>
    matches(session, filter.trim().toLowerCase()),
  );

  const onEnd = (session: SessionSummary) => {
    if (
      !window.confirm(`End ${session.person.name}'s session? They will have to sign in again on that device.`)
    )
      return;
    setEnded(null);
    end.mutate(session.id, { onSuccess: () => setEnded(session.person.name) });
  };

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Sessions</H1>
        <TextInput
          id={filterId}
          label="Filter"
          placeholder="Name, e-mail or IP"
          sizeVariant="small"
          value={filter}
          onChange={(change) => setFilter(change.target.value)}
          className="page-head__filter"
        />
      </div>
      <Body>
        Every live session. Ending one signs that device out at once; it is recorded in the audit log.
      </Body>
      <ProblemNotice error={end.error} what="Couldn't end the session" />
      {ended !== null && (
        <Banner variant="success" data-testid="session-ended">
          Ended {ended}'s session.
        </Banner>
      )}
      {sessions.isPending && <Body aria-live="polite">Loading…</Body>}
      {sessions.isError && (
        <Banner variant="danger">Couldn't load sessions: {errorMessage(sessions.error)}</Banner>
      )}
      {sessions.isSuccess && (
        <>
          <Body data-testid="sessions-count">
            {items.length} of {sessions.data.items.length} live sessions
          </Body>
          <SessionsTable
            items={items}
            showPerson
            onEnd={onEnd}
            ending={end.isPending ? (end.variables ?? null) : null}
          />
        </>
      )}
    </main>
  );
}
