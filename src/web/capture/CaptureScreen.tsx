import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EventList, EventSummary } from '../../contract/api/events.ts';
import { atLeast, ROLE_LABEL } from '../../contract/roles.ts';
import { errorMessage } from '../ui/api.ts';
import { firstName } from '../ui/session.ts';
import { useSignOut } from '../ui/useSignOut.ts';
import { CaptureForm } from './components/CaptureForm.tsx';
import { ContextPicker } from './components/ContextPicker.tsx';
import { OutboxPanel } from './components/OutboxPanel.tsx';
import { RecentInsights } from './components/RecentInsights.tsx';
import { SessionBanner } from './components/SessionBanner.tsx';
import { TopBar } from './components/TopBar.tsx';
import { captureApi, forgetWho, useSessionEnded, type Who } from './connection.ts';
import { type CaptureContext, loadContext, loadEvents, saveContext, saveEvents } from './storage.ts';
import { useCapture } from './useCapture.ts';
import { useOutbox } from './useOutbox.ts';
import { useRecent } from './useRecent.ts';

/** A remembered event/session that is no longer offered (event ended, session removed) falls back to none. */
function validContext(context: CaptureContext, events: EventSummary[]): CaptureContext {
  const event = events.find((candidate) => candidate.id === context.eventId);
  if (event === undefined) return { eventId: null, sessionId: null };
  const session = event.sessions.find((candidate) => candidate.id === context.sessionId);
  return { eventId: event.id, sessionId: session?.id ?? null };
}

interface CaptureScreenProps {
  who: Who;
  /** /api/v1/me answered on this page load (false: offline or session ended; working from the device). */
  live: boolean;
}

/** The one capture screen for a signed-in person; it keeps capturing into the outbox when the server can't. */
export function CaptureScreen({ who, live }: CaptureScreenProps) {
  const [events, setEvents] = useState<EventSummary[]>(loadEvents);
  const [eventsError, setEventsError] = useState<string | null>(null);
  const [context, setContext] = useState<CaptureContext>(loadContext);
  const { signingOut, error: signOutError, signOut } = useSignOut();
  const sessionEnded = useSessionEnded();
  const personId = who.person.id;
  const recent = useRecent(personId);
  const refreshRecent = recent.refresh;
  const afterSync = useCallback(() => void refreshRecent(), [refreshRecent]);
  const outbox = useOutbox(personId, live, afterSync);
  const owner = useMemo(() => ({ id: personId, name: who.person.name }), [personId, who.person.name]);
  const capture = useCapture({ owner, afterSave: refreshRecent, onQueued: outbox.sync });

  useEffect(() => {
    let active = true;
    captureApi
      .get<EventList>('/api/v1/events', { active: true })
      .then((list) => {
        if (!active) return;
        setEvents(list.items);
        saveEvents(list.items);
        setEventsError(null);
        setContext((current) => validContext(current, list.items));
      })
      .catch((error: unknown) => {
        if (!active) return;
        const cached = loadEvents().length > 0 ? ' (showing the list from your last visit)' : '';
        setEventsError(`${errorMessage(error)}${cached}`);
      });
    return () => {
      active = false;
    };
  }, []);

  const changeContext = (next: CaptureContext) => {
    setContext(next);
    saveContext(next);
  };

  const onSignOut = () => {
    const waiting = outbox.pending + outbox.attention.length;
    const warning = `${waiting} insight${waiting === 1 ? " hasn't" : "s haven't"} synced yet. They stay on this device and sync the next time you sign in here. Sign out anyway?`;
    if (waiting > 0 && !window.confirm(warning)) return;
    forgetWho();
    if (sessionEnded) window.location.assign('/');
    else signOut();
  };

  return (
    <>
      <TopBar
        firstName={firstName(who.person.name)}
        pending={outbox.pending}
        onSignOut={onSignOut}
        signingOut={signingOut}
      />
      <main className="page">
        {sessionEnded && <SessionBanner pending={outbox.pending + outbox.attention.length} />}
        {signOutError !== null && (
          <p role="alert" className="feedback feedback--error">
            Sign out failed: {signOutError}
          </p>
        )}
        {!atLeast(who.role, 'advocate') && (
          <p className="notice">
            Your role ({ROLE_LABEL[who.role]}) can read reports but not capture insights. Ask your manager if
            you need to capture.
          </p>
        )}
        <ContextPicker events={events} eventsError={eventsError} context={context} onChange={changeContext} />
        <CaptureForm capture={capture} context={context} />
        <OutboxPanel outbox={outbox} sessionEnded={sessionEnded} />
        <RecentInsights items={recent.items} loading={recent.loading} error={recent.error} />
      </main>
    </>
  );
}
