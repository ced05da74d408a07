import { Button } from '@leafygreen-ui/button';
import { useId } from 'react';
import { AUDIT_FILTER_LIMITS, type AuditCatalog } from '../../../../contract/api/audit.ts';
import type { TaxonomyEntry } from '../../../../contract/taxonomy.ts';
import { ChoiceFilter, TextFilter } from '../../components/Filters.tsx';
import { PersonFinder } from '../../components/PersonFinder.tsx';
import { type AuditFilter, type FilterKey, familyOfFilter, isFiltered } from './auditUrl.ts';

const FIELD = { field: 'audit-field', label: 'audit-field__label', input: 'audit-input' };
const FINDER = {
  ...FIELD,
  error: 'audit-field__error',
  results: 'audit-finder__results',
  choice: 'audit-finder__choice',
  muted: 'muted',
};
const OUTCOMES: TaxonomyEntry[] = [
  { id: 'success', label: 'Success' },
  { id: 'failure', label: 'Failure' },
];

function DayInput(props: {
  label: string;
  value: string | undefined;
  onChange: (day: string | undefined) => void;
}) {
  const id = useId();
  return (
    <div className={FIELD.field}>
      <label className={FIELD.label} htmlFor={id}>
        {props.label}
      </label>
      <input
        id={id}
        className={FIELD.input}
        type="date"
        value={props.value ?? ''}
        onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
      />
    </div>
  );
}

interface AuditFiltersProps {
  filter: AuditFilter;
  catalog: AuditCatalog | undefined;
  /** The actor filter's name, when a loaded event tells it. */
  actorName: string | undefined;
  onChange: (filter: AuditFilter) => void;
}

/** The audit search's filters; each change is a new URL (shareable, back and forward work). */
export function AuditFilters({ filter, catalog, actorName, onChange }: AuditFiltersProps) {
  const set = (changes: Partial<Record<FilterKey, string | undefined>>) => {
    const next: AuditFilter = { ...filter, ...changes };
    for (const key of Object.keys(changes) as FilterKey[]) if (changes[key] === undefined) delete next[key];
    onChange(next);
  };
  const family = familyOfFilter(filter.action);
  const exact = filter.action !== undefined && !filter.action.endsWith('.') ? filter.action : undefined;
  const families = (catalog?.families ?? []).map((f) => ({ id: `${f}.`, label: f }));
  const actions = (catalog?.actions ?? [])
    .filter((a) => family !== undefined && a.action.startsWith(family))
    .map((a) => ({ id: a.action, label: a.action }));
  const targetTypes = (catalog?.targetTypes ?? []).map((t) => ({ id: t, label: t }));

  return (
    <fieldset className="audit-filters" data-testid="audit-filters">
      <legend className="visually-hidden">Filter the audit log</legend>
      {filter.actor === undefined ? (
        <PersonFinder label="Actor" classes={FINDER} onPick={(person) => set({ actor: person.id })} />
      ) : (
        <div className={FIELD.field}>
          <span className={FIELD.label}>Actor</span>
          <span className="audit-chip" data-testid="actor-filter">
            {actorName ?? filter.actor}
            <Button size="xsmall" onClick={() => set({ actor: undefined })}>
              Clear<span className="visually-hidden"> the actor filter</span>
            </Button>
          </span>
        </div>
      )}
      <ChoiceFilter
        className="audit-filters__select"
        label="Family"
        choices={families}
        value={family}
        disabled={catalog === undefined}
        onChange={(value) => set({ action: value })}
      />
      <ChoiceFilter
        className="audit-filters__select"
        label="Action"
        allLabel={family === undefined ? 'Pick a family first' : 'Any in the family'}
        choices={actions}
        value={exact}
        disabled={family === undefined}
        onChange={(value) => set({ action: value ?? family })}
      />
      <ChoiceFilter
        className="audit-filters__select"
        label="Outcome"
        choices={OUTCOMES}
        value={filter.outcome}
        onChange={(value) => set({ outcome: value })}
      />
      <ChoiceFilter
        className="audit-filters__select"
        label="Target type"
        choices={targetTypes}
        value={filter.targetType}
        disabled={catalog === undefined}
        onChange={(value) =>
          set(value === undefined ? { targetType: undefined, targetId: undefined } : { targetType: value })
        }
      />
      {filter.targetType !== undefined && (
        <TextFilter
          label="Target id"
          value={filter.targetId}
          maxLength={AUDIT_FILTER_LIMITS.targetId}
          classes={FIELD}
          onCommit={(value) => set({ targetId: value })}
        />
      )}
      <DayInput label="From (UTC day)" value={filter.from} onChange={(day) => set({ from: day })} />
      <DayInput label="To (UTC day, included)" value={filter.to} onChange={(day) => set({ to: day })} />
      <label className="audit-check">
        <input
          type="checkbox"
          checked={filter.breakGlass === 'true'}
          onChange={(event) => set({ breakGlass: event.target.checked ? 'true' : undefined })}
        />
        Break-glass only
      </label>
      {isFiltered(filter) && (
        <div className="audit-filters__actions">
          <Button size="small" onClick={() => onChange({})}>
            Clear filters
          </Button>
        </div>
      )}
    </fieldset>
  );
}
