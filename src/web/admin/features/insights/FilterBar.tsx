import { Button } from '@leafygreen-ui/button';
import { INSIGHT_SOURCE_LABEL, INSIGHT_SOURCES } from '../../../../contract/api/insights.ts';
import { FOLLOW_UP_STATUS_LABELS, FOLLOW_UP_STATUSES } from '../../../../contract/reporting.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../../../contract/taxonomy.ts';
import { ChoiceFilter, TextFilter } from '../../components/Filters.tsx';
import { DateField } from './fields.tsx';
import { type FilterKey, isEmptyFilter, type UrlFilter } from './filterUrl.ts';
import { PersonSearch } from './PersonSearch.tsx';
import { useEventSessions, useEvents } from './queries.ts';

interface Choice {
  id: string;
  label: string;
}

const SOURCE_CHOICES: Choice[] = INSIGHT_SOURCES.map((id) => ({ id, label: INSIGHT_SOURCE_LABEL[id] }));
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
  const sessions = useEventSessions(filter.eventId);
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
  const sessionChoices = (sessions.data ?? []).map((s) => ({ id: s.id, label: s.title }));
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
