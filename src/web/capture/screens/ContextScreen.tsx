import type { EventSummary } from '../../../contract/api/events.ts';
import { EVENT_TYPES, labelOf } from '../../../contract/taxonomy.ts';
import { clockTime } from '../../ui/format.ts';
import { type CheckIn, NO_CHECK_IN, setCheckIn } from '../storage.ts';
import type { Remote } from '../useRemote.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

interface ContextScreenProps {
  events: Remote<EventSummary[]>;
  checkIn: CheckIn;
  online: boolean;
}

const dates = (event: EventSummary) =>
  event.startsOn === event.endsOn ? event.startsOn : `${event.startsOn} – ${event.endsOn}`;

/** Where the advocate is: check in to an active event and one of its sessions; every capture carries it. */
export function ContextScreen({ events, checkIn, online }: ContextScreenProps) {
  const list = events.value ?? [];
  const checkInto = (event: EventSummary, sessionId: string | null) => {
    const session = event.sessions.find((candidate) => candidate.id === sessionId) ?? null;
    setCheckIn({
      eventId: event.id,
      sessionId: session?.id ?? null,
      eventName: event.name,
      sessionTitle: session?.title ?? null,
    });
  };

  return (
    <>
      <ScreenTitle>Context</ScreenTitle>
      <section className="checked-in" aria-live="polite">
        {checkIn.eventId === null ? (
          <p>You're not checked in to an event. Captures are saved without one.</p>
        ) : (
          <>
            <p>
              Checked in to <strong>{checkIn.eventName ?? 'an event'}</strong>
              {checkIn.sessionTitle !== null && (
                <>
                  {' '}
                  · <strong>{checkIn.sessionTitle}</strong>
                </>
              )}
              . Every capture carries it until you change it.
            </p>
            <button type="button" className="button button--quiet" onClick={() => setCheckIn(NO_CHECK_IN)}>
              Check out
            </button>
          </>
        )}
      </section>

      {events.error !== null && (
        <p className="note" role="status">
          {events.value !== null
            ? `${online ? "Couldn't refresh the events" : "You're offline"} — showing the list from your last visit.`
            : `Events unavailable: ${events.error}`}
        </p>
      )}
      {events.value === null && events.loading && <p className="note">Loading events…</p>}
      {events.value !== null && list.length === 0 && <p className="note">No active events right now.</p>}

      <ul className="events">
        {list.map((event) => {
          const here = event.id === checkIn.eventId;
          return (
            <li key={event.id} className={`event${here ? ' event--current' : ''}`}>
              <button
                type="button"
                className="event__choose"
                aria-pressed={here ? 'true' : 'false'}
                onClick={() => checkInto(event, null)}
              >
                <span className="event__name">{event.name}</span>
                <span className="event__meta">
                  {/* A list cached before the picker said so has no assignedToMe: treated as not assigned. */}
                  {event.assignedToMe === true ? 'Assigned to you · ' : ''}
                  {labelOf(EVENT_TYPES, event.eventType)} · {dates(event)}
                  {event.location !== null ? ` · ${event.location}` : ''}
                </span>
              </button>
              {here && event.sessions.length > 0 && (
                <fieldset className="sessions">
                  <legend>Session</legend>
                  <button
                    type="button"
                    className="chip"
                    aria-pressed={checkIn.sessionId === null ? 'true' : 'false'}
                    onClick={() => checkInto(event, null)}
                  >
                    Whole event
                  </button>
                  {event.sessions.map((session) => (
                    <button
                      key={session.id}
                      type="button"
                      className="chip"
                      aria-pressed={checkIn.sessionId === session.id ? 'true' : 'false'}
                      onClick={() => checkInto(event, session.id)}
                    >
                      {session.startsAt !== null ? `${clockTime(session.startsAt)} ` : ''}
                      {session.title}
                      {session.speaker ? ` — ${session.speaker}` : ''}
                    </button>
                  ))}
                </fieldset>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
