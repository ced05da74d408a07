import { useId, useState } from 'react';
import { errorMessage } from '../../ui/api.ts';
import { useMentionable } from '../features/insights/queries.ts';
import { useDebounced } from '../features/org/useDebounced.ts';

export interface PersonChoice {
  id: string;
  name: string;
}

/** CSS classes of the finder's parts: each page styles its own forms. */
export interface PersonFinderClasses {
  field: string;
  label: string;
  input: string;
  error: string;
  results: string;
  choice: string;
  muted: string;
}

interface PersonFinderProps {
  label: string;
  onPick: (person: PersonChoice) => void;
  /** People already chosen: not offered again. */
  exclude?: readonly string[];
  error?: string | undefined;
  disabled?: boolean;
  testId?: string | undefined;
  classes: PersonFinderClasses;
}

/** Search active people by name (the mentionable-people search) and pick one. */
export function PersonFinder({
  label,
  onPick,
  exclude = [],
  error,
  disabled,
  testId,
  classes,
}: PersonFinderProps) {
  const [text, setText] = useState('');
  const query = useDebounced(text, 250);
  const results = useMentionable(query);
  const inputId = useId();
  const listId = useId();
  const searching = text.trim() !== '' && query.trim() !== '';
  const choices = (results.data?.items ?? []).filter((person) => !exclude.includes(person.id));
  return (
    <div className={classes.field} data-testid={testId}>
      <label className={classes.label} htmlFor={inputId}>
        {label}
      </label>
      <input
        id={inputId}
        className={classes.input}
        type="search"
        placeholder="Type a name"
        value={text}
        maxLength={100}
        disabled={disabled}
        autoComplete="off"
        aria-controls={listId}
        aria-invalid={error !== undefined ? true : undefined}
        onChange={(event) => setText(event.target.value)}
      />
      {error !== undefined && (
        <span className={classes.error} data-testid="field-error">
          {error}
        </span>
      )}
      <div id={listId} aria-live="polite" className={classes.results}>
        {searching && results.isError && (
          <p className={classes.muted}>Couldn't search: {errorMessage(results.error)}</p>
        )}
        {searching && results.isSuccess && choices.length === 0 && (
          <p className={classes.muted}>Nobody matches “{query.trim()}”.</p>
        )}
        {searching && choices.length > 0 && (
          <ul aria-label={`${label}: matching people`}>
            {choices.map((person) => (
              <li key={person.id}>
                <button
                  type="button"
                  className={classes.choice}
                  onClick={() => {
                    onPick({ id: person.id, name: person.name });
                    setText('');
                  }}
                >
                  <strong>{person.name}</strong>
                  {person.team !== null && <span className={classes.muted}> · {person.team}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
