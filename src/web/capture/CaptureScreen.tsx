import { useEffect, useState } from 'react';
import type { EventList, EventSummary } from '../../contract/api/events.ts';
import type { Me } from '../../contract/api/me.ts';
import { atLeast, ROLE_LABEL } from '../../contract/roles.ts';
import { api, errorMessage, isRedirectingToLogin } from '../ui/api.ts';
import { firstName } from '../ui/session.ts';
import { useSignOut } from '../ui/useSignOut.ts';
import { CaptureForm } from './components/CaptureForm.tsx';
import { ContextPicker } from './components/ContextPicker.tsx';
import { RecentInsights } from './components/RecentInsights.tsx';
import { TopBar } from './components/TopBar.tsx';
import { type CaptureContext, loadContext, saveContext } from './storage.ts';
import { useCapture } from './useCapture.ts';
import { useRecent } from './useRecent.ts';

/** A remembered event/session that is no longer offered (event ended, session removed) falls back to none. */
function validContext(context: CaptureContext, events: EventSummary[]): CaptureContext {
  const event = events.find((candidate) => candidate.id === context.eventId);
  if (event === undefined) return { eventId: null, sessionId: null };
  const session = event.sessions.find((candidate) => candidate.id === context.sessionId);
  return { eventId: event.id, sessionId: session?.id ?? null };
}

/** The one capture screen for a signed-in person. */
export function CaptureScreen({ me }: { me: Me }) {
  const [events, setEvents] = useState<EventSummary[]>([]);
  const [eventsError, setEventsError] = useState<string | null>(null);
  const [context, setContext] = useState<CaptureContext>(loadContext);
  const { signingOut, error: signOutError, signOut: onSignOut } = useSignOut();
  const recent = useRecent(me.person.id);
  const capture = useCapture(recent.refresh);

  useEffect(() => {
    let live = true;
    api
      .get<EventList>('/api/v1/events', { active: true })
      .then((list) => {
        if (!live) return;
        setEvents(list.items);
        setEventsError(null);
        setContext((current) => validContext(current, list.items));
      })
      .catch((error: unknown) => {
        if (live && !isRedirectingToLogin()) setEventsError(errorMessage(error));
      });
    return () => {
      live = false;
    };
  }, []);

  const changeContext = (next: CaptureContext) => {
    setContext(next);
    saveContext(next);
  };

  return (
    <>
      <TopBar firstName={firstName(me.person.name)} onSignOut={onSignOut} signingOut={signingOut} />
      <main className="page">
        {signOutError !== null && (
          <p role="alert" className="feedback feedback--error">
            Sign out failed: {signOutError}
          </p>
        )}
        {!atLeast(me.role, 'advocate') && (
          <p className="notice">
            Your role ({ROLE_LABEL[me.role]}) can read reports but not capture insights. Ask your manager if
            you need to capture.
          </p>
        )}
        <ContextPicker events={events} eventsError={eventsError} context={context} onChange={changeContext} />
        <CaptureForm capture={capture} context={context} />
        <RecentInsights items={recent.items} loading={recent.loading} error={recent.error} />
      </main>
    </>
  );
}
