import { Button } from '@leafygreen-ui/button';
import { TextInput } from '@leafygreen-ui/text-input';
import { useId, useState } from 'react';
import { ROLE_LABEL } from '../../../../contract/roles.ts';
import { errorMessage } from '../../../ui/api.ts';
import { usePeopleSearch } from './peopleQueries.ts';
import { useDebounced } from './useDebounced.ts';

export interface PickedPerson {
  id: string;
  name: string;
  email: string;
}

interface PersonPickerProps {
  label: string;
  description?: string;
  picked: PickedPerson[];
  onChange: (picked: PickedPerson[]) => void;
  /** One person (choosing replaces) or a list (choosing adds). */
  multiple?: boolean;
  max?: number;
  testId?: string;
}

/** Search people by name or e-mail (the people API: managers and admins) and pick one or several. */
export function PersonPicker({
  label,
  description,
  picked,
  onChange,
  multiple = false,
  max,
  testId,
}: PersonPickerProps) {
  const [text, setText] = useState('');
  const query = useDebounced(text);
  const results = usePeopleSearch(query, true);
  const inputId = useId();
  const listId = useId();
  const pickedIds = new Set(picked.map((p) => p.id));
  const full = max !== undefined && picked.length >= max;
  const choices = (results.data?.items ?? []).filter((p) => !pickedIds.has(p.id));
  // Both the box and the settled query: no stale "nobody matches" right after choosing someone.
  const searching = text.trim() !== '' && query.trim() !== '';

  const choose = (person: PickedPerson) => {
    onChange(multiple ? [...picked, person] : [person]);
    setText('');
  };

  return (
    <div className="picker" data-testid={testId}>
      <TextInput
        id={inputId}
        label={label}
        description={description ?? 'Type the start of a name or e-mail'}
        value={text}
        maxLength={100}
        disabled={full}
        aria-controls={listId}
        onChange={(change) => setText(change.target.value)}
      />
      {picked.length > 0 && (
        <ul className="picker__picked" aria-label={`${label}: chosen`}>
          {picked.map((person) => (
            <li key={person.id} className="picker__chip">
              <span>
                {person.name} <span className="muted">{person.email}</span>
              </span>
              <Button
                size="xsmall"
                aria-label={`Remove ${person.name}`}
                onClick={() => onChange(picked.filter((p) => p.id !== person.id))}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div id={listId} aria-live="polite">
        {searching && results.isError && (
          <p className="muted">Couldn't search: {errorMessage(results.error)}</p>
        )}
        {searching && results.isSuccess && choices.length === 0 && (
          <p className="muted">Nobody else matches “{query.trim()}”.</p>
        )}
        {searching && choices.length > 0 && (
          <ul className="picker__results" aria-label="Matching people">
            {choices.map((person) => (
              <li key={person.id}>
                <button
                  type="button"
                  className="picker__choice"
                  onClick={() => choose({ id: person.id, name: person.name, email: person.email })}
                >
                  <strong>{person.name}</strong> <span className="muted">{person.email}</span>{' '}
                  <span className="muted">
                    · {person.role === null ? 'no access' : ROLE_LABEL[person.role]}
                    {person.status === 'active' ? '' : ` · ${person.status}`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
