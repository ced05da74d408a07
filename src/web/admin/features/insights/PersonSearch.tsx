import { Button } from '@leafygreen-ui/button';
import { PersonFinder, type PersonFinderClasses } from '../../components/PersonFinder.tsx';
import type { MentionPerson } from './mentions.ts';

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

const FINDER: PersonFinderClasses = {
  field: 'field person-search',
  label: 'field__label',
  input: 'field__input',
  error: 'field__error',
  results: 'person-search__results',
  choice: 'person-search__choice',
  muted: 'muted',
};

/** Pick one active person by name (the mentionable-people search), or clear the choice. */
export function PersonSearch({
  label,
  value,
  onChange,
  testId,
  disabled,
  searchable = true,
}: PersonSearchProps) {
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
    <PersonFinder label={label} onPick={onChange} disabled={disabled} testId={testId} classes={FINDER} />
  );
}
