import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { LIMITS } from '../../../../contract/limits.ts';
import { useDebounced } from '../org/useDebounced.ts';
import { type ActiveMention, activeMention, insertMention, type MentionPerson } from './mentions.ts';
import { useMentionable } from './queries.ts';

interface MentionTextareaProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** A person was picked from the suggestions (the note sends their id if "@Name" stays in the text). */
  onMention: (person: MentionPerson) => void;
  disabled?: boolean;
  autoFocus?: boolean;
}

/**
 * A note field with @mention suggestions: typing "@" and a few letters lists matching people (a listbox the
 * arrow keys move through; Enter or Tab picks, Escape closes); picking writes "@Full Name " into the text.
 */
export function MentionTextarea({
  label,
  value,
  onChange,
  onMention,
  disabled,
  autoFocus,
}: MentionTextareaProps) {
  const id = useId();
  const listId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [mention, setMention] = useState<ActiveMention | null>(null);
  const [active, setActive] = useState(0);
  const query = useDebounced(mention?.query ?? '', 150);
  const people = useMentionable(mention === null ? '' : query);
  const choices = mention !== null && query !== '' ? (people.data?.items ?? []) : [];
  const open = mention !== null && mention.query !== '' && choices.length > 0;

  const track = (text: string, caret: number) => {
    const next = activeMention(text, caret);
    setMention(next);
    if (next?.query !== mention?.query) setActive(0);
  };

  const pick = (person: MentionPerson) => {
    const field = ref.current;
    if (mention === null || field === null) return;
    const result = insertMention(value, mention, field.selectionStart, person);
    onChange(result.text);
    onMention(person);
    setMention(null);
    requestAnimationFrame(() => {
      field.focus();
      field.setSelectionRange(result.caret, result.caret);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + choices.length) % choices.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      const person = choices[Math.min(active, choices.length - 1)];
      if (person === undefined) return;
      event.preventDefault();
      pick({ id: person.id, name: person.name });
    } else if (event.key === 'Escape') {
      // Closes the suggestions, not the drawer around the field.
      event.preventDefault();
      event.stopPropagation();
      setMention(null);
    }
  };

  const optionId = (index: number) => `${listId}-${index}`;
  return (
    <div className="field mention-field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="mention-field__box">
        <textarea
          ref={ref}
          id={id}
          className="field__input"
          rows={3}
          value={value}
          maxLength={LIMITS.noteBody}
          disabled={disabled}
          // biome-ignore lint/a11y/noAutofocus: the reply box opens on request and takes the focus
          autoFocus={autoFocus}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open ? optionId(Math.min(active, choices.length - 1)) : undefined}
          onChange={(event) => {
            onChange(event.target.value);
            track(event.target.value, event.target.selectionStart);
          }}
          onSelect={(event) => track(event.currentTarget.value, event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onBlur={() => window.setTimeout(() => setMention(null), 200)}
        />
        <div
          id={listId}
          role="listbox"
          aria-label="People to mention"
          className="mention-list"
          hidden={!open}
        >
          {open &&
            choices.map((person, index) => (
              <div
                key={person.id}
                id={optionId(index)}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                className="mention-list__option"
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick({ id: person.id, name: person.name });
                }}
              >
                <strong>{person.name}</strong>
                {person.team !== null && <span className="muted"> · {person.team}</span>}
              </div>
            ))}
        </div>
      </div>
      <span className="field__desc">
        Type @ and a name to mention someone; they see it under their mentions.
      </span>
    </div>
  );
}
