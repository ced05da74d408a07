import type { EventSummary } from '../../../contract/api/events.ts';
import type { CaptureContext } from '../storage.ts';

interface ContextPickerProps {
  events: EventSummary[];
  /** Events could not be loaded: capture still works, without an event. */
  eventsError: string | null;
  context: CaptureContext;
  onChange: (context: CaptureContext) => void;
}

const NONE = '';

/** Where the advocate is: an active event and, when it has any, one of its sessions. */
export function ContextPicker({ events, eventsError, context, onChange }: ContextPickerProps) {
  const event = events.find((candidate) => candidate.id === context.eventId);
  const sessions = event?.sessions ?? [];
  return (
    <section className="context" aria-label="Where you are">
      <label className="field field--inline">
        <span className="field__label">Event</span>
        <select
          name="eventId"
          value={event?.id ?? NONE}
          onChange={(change) => onChange({ eventId: change.target.value || null, sessionId: null })}
        >
          <option value={NONE}>No event</option>
          {events.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
        </select>
      </label>
      {sessions.length > 0 && (
        <label className="field field--inline">
          <span className="field__label">Session</span>
          <select
            name="sessionId"
            value={context.sessionId ?? NONE}
            onChange={(change) =>
              onChange({ eventId: context.eventId, sessionId: change.target.value || null })
            }
          >
            <option value={NONE}>No session</option>
            {sessions.map((session) => (
              <option key={session.id} value={session.id}>
                {session.title}
                {session.speaker ? ` — ${session.speaker}` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {eventsError !== null && <p className="context__note">Events unavailable: {eventsError}</p>}
    </section>
  );
}
