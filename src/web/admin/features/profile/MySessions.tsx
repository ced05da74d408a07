import { Banner } from '@leafygreen-ui/banner';
import { Body, H2 } from '@leafygreen-ui/typography';
import type { SessionSummary } from '../../../../contract/api/me.ts';
import { errorMessage } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useEndSession, useMySessions } from '../sessions/queries.ts';
import { SessionsTable } from '../sessions/SessionsTable.tsx';

/** Every device I am signed in on; end any but this one. */
export function MySessions() {
  const sessions = useMySessions();
  const end = useEndSession('self');

  const onEnd = (session: SessionSummary) => {
    if (window.confirm('Sign out that device? It will have to sign in again.')) end.mutate(session.id);
  };

  return (
    <section className="profile-section" aria-labelledby="my-sessions">
      <H2 id="my-sessions" className="section-title">
        Your sessions
      </H2>
      <ProblemNotice error={end.error} what="Couldn't end the session" />
      {sessions.isPending && <Body aria-live="polite">Loading…</Body>}
      {sessions.isError && (
        <Banner variant="danger">Couldn't load your sessions: {errorMessage(sessions.error)}</Banner>
      )}
      {sessions.isSuccess && (
        <SessionsTable
          items={sessions.data.items}
          showPerson={false}
          onEnd={onEnd}
          ending={end.isPending ? (end.variables ?? null) : null}
        />
      )}
    </section>
  );
}
