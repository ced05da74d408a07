import { Button } from '@leafygreen-ui/button';
import { PersonFinder, type PersonFinderClasses } from '../../components/PersonFinder.tsx';

const EV_FINDER: PersonFinderClasses = {
  field: 'ev-field ev-finder',
  label: 'ev-field__label',
  input: 'ev-input',
  error: 'ev-field__error',
  results: 'ev-finder__results',
  choice: 'ev-finder__choice',
  muted: 'ev-muted',
};

/** The shared person finder, styled like the event form's fields. */
export function EventPersonFinder(props: Omit<Parameters<typeof PersonFinder>[0], 'classes'>) {
  return <PersonFinder {...props} classes={EV_FINDER} />;
}

/** One chosen person as a chip with a remove button. */
export function PersonChip({ name, onRemove, what }: { name: string; onRemove: () => void; what: string }) {
  return (
    <span className="ev-chip">
      <span>{name}</span>
      <Button size="xsmall" aria-label={`Remove ${name} as ${what}`} onClick={onRemove}>
        ✕
      </Button>
    </span>
  );
}
