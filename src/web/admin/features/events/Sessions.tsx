import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H2, H3 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { EventDetail, EventSession } from '../../../../contract/api/events.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { insightsHref } from '../insights/filterUrl.ts';
import { useSessionChange } from './queries.ts';
import { SessionForm } from './SessionForm.tsx';
import { showInZone } from './zoned.ts';

function when(session: EventSession, timeZone: string | null): string | null {
  if (session.startsAt === null) return null;
  const start = showInZone(session.startsAt, timeZone);
  return session.endsAt === null ? start : `${start} – ${showInZone(session.endsAt, timeZone)}`;
}

function Notes({ label, text }: { label: string; text: string | null }) {
  if (text === null) return null;
  return (
    <div className="ev-session__notes">
      <Body weight="medium">{label}</Body>
      <Body className="ev-pre">{text}</Body>
    </div>
  );
}

/** The event's sessions; managers add, edit and delete them (inline forms, one open at a time). */
export function Sessions({ event }: { event: EventDetail }) {
  const change = useSessionChange(event.id);
  /** 'new', a session id being edited, or null. */
  const [open, setOpen] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const zone = event.timezone;

  const remove = async (session: EventSession) => {
    setFailure(null);
    try {
      await change.mutateAsync({ kind: 'delete', sessionId: session.id });
      setConfirming(null);
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <section className="ev-section" aria-labelledby="sessions-title" data-testid="sessions">
      <div className="ev-section__head">
        <H2 id="sessions-title">Sessions ({event.sessions.length})</H2>
        {event.canManage && open !== 'new' && (
          <Button size="small" onClick={() => setOpen('new')}>
            Add session
          </Button>
        )}
      </div>
      <ProblemNotice error={failure} what="Couldn't delete the session" />
      {open === 'new' && (
        <SessionForm session={null} timeZone={zone} save={change.mutateAsync} onDone={() => setOpen(null)} />
      )}
      {event.sessions.length === 0 && open !== 'new' && <Body className="ev-muted">No sessions yet.</Body>}
      <ul className="ev-sessions">
        {event.sessions.map((session) => (
          <li key={session.id}>
            {open === session.id ? (
              <SessionForm
                session={session}
                timeZone={zone}
                save={change.mutateAsync}
                onDone={() => setOpen(null)}
              />
            ) : (
              <Card className="ev-session" data-testid="session">
                <div className="ev-section__head">
                  <H3 as="h3">{session.title}</H3>
                  {event.canManage && (
                    <div className="ev-actions">
                      <Button size="xsmall" onClick={() => setOpen(session.id)}>
                        Edit
                      </Button>
                      <Button size="xsmall" variant="dangerOutline" onClick={() => setConfirming(session.id)}>
                        Delete
                      </Button>
                    </div>
                  )}
                </div>
                <Body className="ev-muted">
                  {[
                    session.speaker === null ? null : `Speaker: ${session.speaker}`,
                    session.room === null ? null : `Room: ${session.room}`,
                    when(session, zone),
                    session.audienceSize === null ? null : `Audience: ${session.audienceSize}`,
                  ]
                    .filter((part) => part !== null)
                    .join(' · ')}
                </Body>
                <Notes label="Common questions" text={session.commonQuestions} />
                <Notes label="Resonant demos" text={session.resonantDemos} />
                <Notes label="Engagement notes" text={session.engagementNotes} />
                <AppLink to={insightsHref({ eventId: event.id, sessionId: session.id })}>
                  {session.insightCount} {session.insightCount === 1 ? 'insight' : 'insights'} in this session
                </AppLink>
                {confirming === session.id && (
                  <div className="ev-confirm" data-testid="session-delete-confirm">
                    <Body>Delete “{session.title}”? This cannot be undone.</Body>
                    <Button
                      size="small"
                      variant="danger"
                      disabled={change.isPending}
                      onClick={() => void remove(session)}
                    >
                      Delete session
                    </Button>
                    <Button size="small" onClick={() => setConfirming(null)}>
                      Keep it
                    </Button>
                  </div>
                )}
              </Card>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
