import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { useEffect, useId, useState } from 'react';
import { INSIGHT_SOURCES } from '../../../../contract/api/insights.ts';
import { FOLLOW_UP_STATUS_LABELS, FOLLOW_UP_STATUSES } from '../../../../contract/reporting.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../../../contract/taxonomy.ts';
import { DateField } from './fields.tsx';
import { type FilterKey, isEmptyFilter, type UrlFilter } from './filterUrl.ts';
import { PersonSearch } from './PersonSearch.tsx';
import { useEvents } from './queries.ts';

const ALL = '__all';

interface Choice {
  id: string;
  label: string;
}

const SOURCE_CHOICES: Choice[] = INSIGHT_SOURCES.map((id) => ({
  id,
  label: id === 'capture' ? 'Typed' : id === 'voice' ? 'Voice' : 'Seed data',
}));
const FLAG_CHOICES: Choice[] = [
  { id: 'true', label: 'Flagged' },
  { id: 'false', label: 'Not flagged' },
];
const STATUS_CHOICES: Choice[] = FOLLOW_UP_STATUSES.map((id) => ({ id, label: FOLLOW_UP_STATUS_LABELS[id] }));

/** The filters that are a plain choice from a fixed list, in the order the bar shows them. */
const CLASSIFICATION_FILTERS = [
  { key: 'type', label: 'Type', choices: INSIGHT_TYPES },
  { key: 'productArea', label: 'Product area', choices: PRODUCT_AREAS },
  { key: 'sentiment', label: 'Sentiment', choices: SENTIMENTS },
  { key: 'priority', label: 'Priority', choices: PRIORITIES },
] as const satisfies readonly { key: FilterKey; label: string; choices: readonly Choice[] }[];
const WORKFLOW_FILTERS = [
  { key: 'source', label: 'Source', choices: SOURCE_CHOICES },
  { key: 'followUp', label: 'Follow-up', choices: FLAG_CHOICES },
  { key: 'followUpStatus', label: 'Follow-up status', choices: STATUS_CHOICES },
] as const satisfies readonly { key: FilterKey; label: string; choices: readonly Choice[] }[];

interface ChoiceFilterProps {
  label: string;
  choices: readonly Choice[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  disabled?: boolean;
  allLabel?: string;
}

export function ChoiceFilter({ label, choices, value, onChange, disabled, allLabel }: ChoiceFilterProps) {
  return (
    <Select
      label={label}
      size="small"
      allowDeselect={false}
      disabled={disabled}
      value={value ?? ALL}
      onChange={(next: string) => onChange(next === ALL ? undefined : next)}
      className="filters__select"
      dropdownWidthBasis="option"
    >
      <Option value={ALL}>{allLabel ?? 'All'}</Option>
      {choices.map((choice) => (
        <Option key={choice.id} value={choice.id}>
          {choice.label}
        </Option>
      ))}
    </Select>
  );
}

/** A text filter applied on Enter or when the field loses focus (one request per decision, not per key). */
function TextFilter(props: {
  label: string;
  value: string | undefined;
  onCommit: (v: string | undefined) => void;
  placeholder?: string;
  maxLength: number;
}) {
  const { label, value, onCommit, placeholder, maxLength } = props;
  const id = useId();
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const commit = () => {
    const next = text.trim() === '' ? undefined : text.trim();
    if (next !== value) onCommit(next);
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="field__input"
        value={text}
        placeholder={placeholder}
        maxLength={maxLength}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
    </div>
  );
}

interface FilterBarProps {
  filter: UrlFilter;
  onChange: (filter: UrlFilter) => void;
  /** Names of people the page knows (authors and owners in the list), for ids that came from a link. */
  nameOf: (id: string) => string | null;
  /** A person was chosen by name: the page remembers the name for the chip. */
  remember: (person: { id: string; name: string }) => void;
  /** Whether the reader may search people by name (viewers cannot; author links still work). */
  canSearchPeople: boolean;
}

/** Every filter of the list (InsightFilterShape); each change is a new URL, so back and forward work. */
export function FilterBar({ filter, onChange, nameOf, remember, canSearchPeople }: FilterBarProps) {
  const events = useEvents();
  const set = (key: FilterKey, value: string | undefined) => {
    const next: UrlFilter = { ...filter, [key]: value };
    if (value === undefined) delete next[key];
    if (key === 'eventId') delete next.sessionId;
    onChange(next);
  };
  const eventList = events.data?.items ?? [];
  const event = eventList.find((e) => e.id === filter.eventId);
  const eventChoices = eventList.map((e) => ({ id: e.id, label: `${e.name} (${e.startsOn})` }));
  if (filter.eventId !== undefined && event === undefined)
    eventChoices.push({ id: filter.eventId, label: 'Chosen event' });
  const sessionChoices = (event?.sessions ?? []).map((s) => ({ id: s.id, label: s.title }));
  if (filter.sessionId !== undefined && !sessionChoices.some((s) => s.id === filter.sessionId))
    sessionChoices.push({ id: filter.sessionId, label: 'Chosen session' });
  const person = (id: string | undefined) => (id === undefined ? null : { id, name: nameOf(id) });
  const choices = (list: readonly { key: FilterKey; label: string; choices: readonly Choice[] }[]) =>
    list.map((f) => (
      <ChoiceFilter
        key={f.key}
        label={f.label}
        choices={f.choices}
        value={filter[f.key]}
        onChange={(v) => set(f.key, v)}
      />
    ));

  return (
    <fieldset className="filters insight-filters" data-testid="insight-filters">
      <legend className="visually-hidden">Filter insights</legend>
      {choices(CLASSIFICATION_FILTERS)}
      <ChoiceFilter
        label="Event"
        choices={eventChoices}
        value={filter.eventId}
        onChange={(v) => set('eventId', v)}
      />
      <ChoiceFilter
        label="Session"
        choices={sessionChoices}
        value={filter.sessionId}
        disabled={filter.eventId === undefined}
        allLabel={filter.eventId === undefined ? 'Choose an event first' : 'All'}
        onChange={(v) => set('sessionId', v)}
      />
      {choices(WORKFLOW_FILTERS)}
      <PersonSearch
        label="Author"
        value={person(filter.authorId)}
        onChange={(p) => {
          if (p !== null) remember(p);
          set('authorId', p?.id);
        }}
        testId="filter-author"
        searchable={canSearchPeople}
      />
      <PersonSearch
        label="Follow-up owner"
        value={person(filter.followUpOwnerId)}
        onChange={(p) => {
          if (p !== null) remember(p);
          set('followUpOwnerId', p?.id);
        }}
        testId="filter-owner"
        searchable={canSearchPeople}
      />
      <TextFilter label="Team" value={filter.team} maxLength={100} onCommit={(v) => set('team', v)} />
      <TextFilter
        label="Tags (all of)"
        placeholder="tag-a, tag-b"
        value={filter.tags}
        maxLength={600}
        onCommit={(v) => set('tags', v)}
      />
      <DateField label="Captured from" value={filter.from} onChange={(v) => set('from', v)} />
      <DateField label="Captured to" value={filter.to} onChange={(v) => set('to', v)} />
      <div className="filters__actions">
        <Button size="small" disabled={isEmptyFilter(filter)} onClick={() => onChange({})}>
          Clear filters
        </Button>
      </div>
    </fieldset>
  );
}
