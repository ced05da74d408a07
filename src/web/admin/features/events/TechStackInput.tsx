import { Button } from '@leafygreen-ui/button';
import { useId, useState } from 'react';
import { LIMITS } from '../../../../contract/limits.ts';

interface TechStackInputProps {
  value: string[];
  onChange: (value: string[]) => void;
  error?: string | undefined;
}

/** The customer's tech stack as chips: type a name, Enter (or a comma) adds it; ✕ removes one. */
export function TechStackInput({ value, onChange, error }: TechStackInputProps) {
  const [text, setText] = useState('');
  const id = useId();
  const full = value.length >= LIMITS.eventTechStack;
  const add = () => {
    const names = text
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    const next = [...value];
    for (const name of names) {
      if (next.length >= LIMITS.eventTechStack) break;
      if (!next.some((known) => known.toLowerCase() === name.toLowerCase()))
        next.push(name.slice(0, LIMITS.tag));
    }
    onChange(next);
    setText('');
  };
  return (
    <div className="ev-field">
      <label className="ev-field__label" htmlFor={id}>
        Tech stack
      </label>
      {value.length > 0 && (
        <ul className="ev-chips" aria-label="Tech stack entries" data-testid="tech-stack">
          {value.map((name) => (
            <li key={name} className="ev-chip">
              <span>{name}</span>
              <Button
                size="xsmall"
                aria-label={`Remove ${name}`}
                onClick={() => onChange(value.filter((known) => known !== name))}
              >
                ✕
              </Button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        className="ev-input"
        value={text}
        maxLength={LIMITS.tag * 4}
        disabled={full}
        placeholder={full ? `At most ${LIMITS.eventTechStack}` : 'e.g. Kafka, then Enter'}
        aria-invalid={error !== undefined ? true : undefined}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ',') {
            event.preventDefault();
            add();
          }
        }}
        onBlur={() => {
          if (text.trim() !== '') add();
        }}
      />
      {error !== undefined ? (
        <span className="ev-field__error" data-testid="field-error">
          {error}
        </span>
      ) : (
        <span className="ev-field__hint">
          Up to {LIMITS.eventTechStack} entries of at most {LIMITS.tag} characters.
        </span>
      )}
    </div>
  );
}
