import { Button } from '@leafygreen-ui/button';
import { EVENT_SORTS } from '../../../../contract/api/events.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { EVENT_STATUSES } from '../../../../contract/program.ts';
import { EVENT_TYPES, REGIONS, type TaxonomyEntry } from '../../../../contract/taxonomy.ts';
import { ChoiceFilter, TextFilter } from '../../components/Filters.tsx';
import { isFiltered, type ListFilter, type ListKey, SORT_LABELS } from './listUrl.ts';

const ACTIVE_CHOICES: TaxonomyEntry[] = [
  { id: 'true', label: 'Active in capture picker' },
  { id: 'false', label: 'Not active' },
];
const EV_CLASSES = { field: 'ev-field', label: 'ev-field__label', input: 'ev-input' };
const SORT_CHOICES = EVENT_SORTS.map((id) => ({ id, label: SORT_LABELS[id] }));

function Check(props: { label: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="ev-check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      {props.label}
    </label>
  );
}

interface EventFiltersProps {
  filter: ListFilter;
  onChange: (filter: ListFilter) => void;
  /** Managers and admins: the "I can edit" filter means something for them only. */
  canManage: boolean;
}

/** The calendar's filters; each change is a new URL (shareable, back and forward work). */
export function EventFilters({ filter, onChange, canManage }: EventFiltersProps) {
  const set = (key: ListKey, value: string | undefined) => {
    const next: ListFilter = { ...filter, [key]: value };
    if (value === undefined) delete next[key];
    onChange(next);
  };
  return (
    <fieldset className="ev-filters" data-testid="event-filters">
      <legend className="visually-hidden">Filter events</legend>
      <TextFilter
        label="Search"
        placeholder="Name, location or account"
        value={filter.q}
        maxLength={LIMITS.eventName}
        classes={EV_CLASSES}
        type="search"
        onCommit={(v) => set('q', v)}
      />
      <ChoiceFilter
        className="ev-filters__select"
        label="Status"
        allLabel="All"
        choices={EVENT_STATUSES}
        value={filter.status}
        onChange={(v) => set('status', v)}
      />
      <ChoiceFilter
        className="ev-filters__select"
        label="Region"
        allLabel="All"
        choices={REGIONS}
        value={filter.region}
        onChange={(v) => set('region', v)}
      />
      <ChoiceFilter
        className="ev-filters__select"
        label="Type"
        allLabel="All"
        choices={EVENT_TYPES}
        value={filter.eventType}
        onChange={(v) => set('eventType', v)}
      />
      <TextFilter
        label="Quarter"
        placeholder="Q4 FY26"
        value={filter.quarter}
        maxLength={LIMITS.eventQuarter}
        classes={EV_CLASSES}
        type="search"
        onCommit={(v) => set('quarter', v)}
      />
      <ChoiceFilter
        className="ev-filters__select"
        label="Capture picker"
        allLabel="All"
        choices={ACTIVE_CHOICES}
        value={filter.active}
        onChange={(v) => set('active', v)}
      />
      <ChoiceFilter
        className="ev-filters__select"
        label="Sort"
        allLabel={null}
        choices={SORT_CHOICES}
        value={filter.sort ?? 'starts_desc'}
        onChange={(v) => set('sort', v === 'starts_desc' ? undefined : v)}
      />
      <div className="ev-filters__checks">
        <Check
          label="Assigned to me"
          checked={filter.assignedTo === 'me'}
          onChange={(on) => set('assignedTo', on ? 'me' : undefined)}
        />
        {canManage && (
          <Check
            label="I can edit"
            checked={filter.manageable === 'true'}
            onChange={(on) => set('manageable', on ? 'true' : undefined)}
          />
        )}
      </div>
      <div className="ev-filters__actions">
        <Button
          size="small"
          disabled={!isFiltered(filter)}
          onClick={() =>
            onChange({
              ...(filter.view ? { view: filter.view } : {}),
              ...(filter.sort ? { sort: filter.sort } : {}),
            })
          }
        >
          Clear filters
        </Button>
      </div>
    </fieldset>
  );
}
