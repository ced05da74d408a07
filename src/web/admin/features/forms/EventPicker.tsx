import { Button } from '@leafygreen-ui/button';
import { useId, useState } from 'react';
import { errorMessage } from '../../../ui/api.ts';
import { useDebounced } from '../org/useDebounced.ts';
import type { EventChoice } from './draft.ts';
import { useEventOptions, useEventSessions } from './queries.ts';

interface EventPickerProps {
  event: EventChoice | null;
  sessionId: string;
  onChange: (event: EventChoice | null, sessionId: string) => void;
  eventError?: string | undefined;
  sessionError?: string | undefined;
}

/** Search events by name and pick one; then, optionally, one of its sessions. */
export function EventPicker({ event, sessionId, onChange, eventError, sessionError }: EventPickerProps) {
  const [text, setText] = useState('');
  const query = useDebounced(text.trim());
  const searching = text.trim() !== '' && query !== '';
  const options = useEventOptions(query, searching && event === null);
  const sessions = useEventSessions(event?.id ?? null);
  const ids = { search: useId(), results: useId(), session: useId(), error: useId() };

  if (event !== null) {
    return (
      <fieldset className="forms-event">
        <legend className="forms-field__label">Event</legend>
        <div className="forms-event__chosen" data-testid="form-event">
          <strong>{event.name}</strong>
          <Button
            size="xsmall"
            aria-label={`Remove the event ${event.name}`}
            onClick={() => onChange(null, '')}
          >
            Remove
          </Button>
        </div>
        {eventError !== undefined && <span className="forms-field__error">{eventError}</span>}
        <div className="forms-field">
          <label className="forms-field__label" htmlFor={ids.session}>
            Session (optional)
          </label>
          <select
            id={ids.session}
            className="forms-field__input"
            value={sessionId}
            disabled={!sessions.isSuccess}
            aria-invalid={sessionError !== undefined ? true : undefined}
            onChange={(change) => onChange(event, change.target.value)}
          >
            <option value="">Whole event (no session)</option>
            {(sessions.data ?? []).map((session) => (
              <option key={session.id} value={session.id}>
                {session.title}
              </option>
            ))}
          </select>
          {sessions.isError && (
            <span className="muted">Couldn't load the sessions: {errorMessage(sessions.error)}</span>
          )}
          {sessionError !== undefined && <span className="forms-field__error">{sessionError}</span>}
        </div>
      </fieldset>
    );
  }

  const items = options.data?.items ?? [];
  return (
    <div className="forms-field forms-event">
      <label className="forms-field__label" htmlFor={ids.search}>
        Event (optional)
      </label>
      <input
        id={ids.search}
        className="forms-field__input"
        type="search"
        value={text}
        maxLength={200}
        placeholder="Type part of the event's name"
        aria-controls={ids.results}
        aria-describedby={eventError !== undefined ? ids.error : undefined}
        aria-invalid={eventError !== undefined ? true : undefined}
        onChange={(change) => setText(change.target.value)}
      />
      {eventError !== undefined && (
        <span id={ids.error} className="forms-field__error">
          {eventError}
        </span>
      )}
      <div id={ids.results} aria-live="polite">
        {searching && options.isError && (
          <p className="muted">Couldn't search: {errorMessage(options.error)}</p>
        )}
        {searching && options.isSuccess && items.length === 0 && (
          <p className="muted">No event matches “{query}”.</p>
        )}
        {searching && items.length > 0 && (
          <ul className="forms-event__results" aria-label="Matching events">
            {items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className="forms-event__choice"
                  onClick={() => {
                    setText('');
                    onChange({ id: item.id, name: item.name }, '');
                  }}
                >
                  <strong>{item.name}</strong> <span className="muted">{item.startsOn}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
