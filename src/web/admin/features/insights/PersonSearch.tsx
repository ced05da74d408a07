import { Button } from '@leafygreen-ui/button';
import { useId, useState } from 'react';
import { errorMessage } from '../../../ui/api.ts';
import { useDebounced } from '../org/useDebounced.ts';
import type { MentionPerson } from './mentions.ts';
import { useMentionable } from './queries.ts';

interface PersonSearchProps {
  label: string;
  /** The chosen person (null: nobody); `name` may be unknown when only the id came from a link. */
  value: { id: string; name: string | null } | null;
  onChange: (person: MentionPerson | null) => void;
  testId?: string;
  disabled?: boolean;
  /** false: the reader cannot search people (viewers); only a choice that came with a link shows. */
  searchable?: boolean;
}

/** Pick one active person by name (the mentionable-people search), or clear the choice. */
export function PersonSearch({
  label,
  value,
  onChange,
  testId,
  disabled,
  searchable = true,
}: PersonSearchProps) {
  const [text, setText] = useState('');
  const query = useDebounced(text, 250);
  const results = useMentionable(searchable ? query : '');
  const inputId = useId();
  const listId = useId();
  const searching = text.trim() !== '' && query.trim() !== '';
  const choices = results.data?.items ?? [];
  if (value === null && !searchable) return null;

  if (value !== null) {
    return (
      <div className="field" data-testid={testId}>
        <span className="field__label">{label}</span>
        <span className="chip">
          <span>{value.name ?? 'Chosen person'}</span>
          <Button
            size="xsmall"
            aria-label={`Clear ${label.toLowerCase()}`}
            disabled={disabled}
            onClick={() => onChange(null)}
          >
            ✕
          </Button>
        </span>
      </div>
    );
  }
  return (
    <div className="field person-search" data-testid={testId}>
      <label className="field__label" htmlFor={inputId}>
        {label}
      </label>
      <input
        id={inputId}
        className="field__input"
        type="search"
        placeholder="Type a name"
        value={text}
        maxLength={100}
        disabled={disabled}
        aria-controls={listId}
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
      />
      <div id={listId} aria-live="polite" className="person-search__results">
        {searching && results.isError && (
          <p className="muted">Couldn't search: {errorMessage(results.error)}</p>
        )}
        {searching && results.isSuccess && choices.length === 0 && (
          <p className="muted">Nobody matches “{query.trim()}”.</p>
        )}
        {searching && choices.length > 0 && (
          <ul aria-label={`${label}: matching people`}>
            {choices.map((person) => (
              <li key={person.id}>
                <button
                  type="button"
                  className="person-search__choice"
                  onClick={() => {
                    onChange({ id: person.id, name: person.name });
                    setText('');
                  }}
                >
                  <strong>{person.name}</strong>
                  {person.team !== null && <span className="muted"> · {person.team}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
