import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { useState } from 'react';
import type { PeriodInfo } from '../../../../contract/api/reporting.ts';
import { INSIGHT_SOURCE_LABEL, INSIGHT_SOURCES, type ReportPeriod } from '../../../../contract/reporting.ts';
import {
  INSIGHT_TYPES,
  PRIORITIES,
  PRODUCT_AREAS,
  SENTIMENTS,
  type TaxonomyEntry,
} from '../../../../contract/taxonomy.ts';
import { AppLink } from '../../components/Nav.tsx';
import { PeriodPicker } from './PeriodPicker.tsx';
import { useEvents } from './queries.ts';
import {
  FILTER_KEYS,
  type FilterKey,
  MAIN_FILTERS,
  type ReportState,
  reportSearch,
  withFilter,
  withoutFilters,
} from './reportQuery.ts';
import './reports.css';

const ALL = 'all';

/** Where an insight came from, in words. */
export const SOURCE_OPTIONS: readonly TaxonomyEntry[] = INSIGHT_SOURCES.map((id) => ({
  id,
  label: INSIGHT_SOURCE_LABEL[id],
}));

/** Names of the filters the control does not offer as fields (shown as removable chips). */
const OTHER_FILTER_LABEL: Record<string, string> = {
  q: 'Search',
  sessionId: 'Session',
  authorId: 'Author',
  tags: 'Tags',
  followUp: 'Follow-up',
  followUpStatus: 'Follow-up status',
  followUpOwnerId: 'Follow-up owner',
};

interface FilterSelectProps {
  label: string;
  options: readonly TaxonomyEntry[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}

function FilterSelect({ label, options, value, onChange }: FilterSelectProps) {
  // A value the list does not know (an old link, a retired id) stays visible rather than reading "All".
  const known = value === undefined || options.some((option) => option.id === value);
  return (
    <Select
      label={label}
      size="small"
      allowDeselect={false}
      value={value ?? ALL}
      onChange={(next: string) => onChange(next === ALL ? undefined : next)}
      className="filters__select"
    >
      <Option value={ALL}>All</Option>
      {!known && value !== undefined && <Option value={value}>{value}</Option>}
      {options.map((option) => (
        <Option key={option.id} value={option.id}>
          {option.label}
        </Option>
      ))}
    </Select>
  );
}

/** The author's team: applied on Enter or when the field loses focus (not on every key). */
function TeamField({ value, onChange }: { value: string | undefined; onChange: (team?: string) => void }) {
  const [text, setText] = useState(value ?? '');
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value ?? '');
  }
  const commit = () => {
    if (text.trim() !== (value ?? '')) onChange(text.trim() === '' ? undefined : text.trim());
  };
  return (
    <TextInput
      label="Team"
      sizeVariant="small"
      placeholder="e.g. amer"
      value={text}
      maxLength={100}
      className="filters__team"
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit();
      }}
    />
  );
}

interface ReportControlsProps {
  state: ReportState;
  onChange: (state: ReportState) => void;
  periods?: readonly ReportPeriod[];
  /** The period of the answer on screen, when it answers this state (not a placeholder). */
  resolved: PeriodInfo | undefined;
}

/**
 * The one period + filter control of the reporting views (Dashboard, Leaderboard, Themes, Reports). Its
 * state is the URL's, so a view can be shared and the same view opened on another reporting page.
 */
export function ReportControls({ state, onChange, periods, resolved }: ReportControlsProps) {
  const events = useEvents();
  const eventOptions = (events.data?.items ?? []).map((event) => ({ id: event.id, label: event.name }));
  const set = (key: FilterKey) => (value: string | undefined) => onChange(withFilter(state, key, value));
  const others = FILTER_KEYS.filter(
    (key) => !(MAIN_FILTERS as readonly string[]).includes(key) && state.filter[key] !== undefined,
  );
  const filtered = Object.keys(state.filter).length > 0;
  const search = reportSearch(state, null);

  return (
    <section className="report-controls" aria-label="Period and filters">
      <PeriodPicker state={state} onChange={onChange} periods={periods} resolved={resolved} />
      <fieldset className="filters report-controls__filters">
        <legend className="visually-hidden">Filters</legend>
        <FilterSelect label="Type" options={INSIGHT_TYPES} value={state.filter.type} onChange={set('type')} />
        <FilterSelect
          label="Product area"
          options={PRODUCT_AREAS}
          value={state.filter.productArea}
          onChange={set('productArea')}
        />
        <FilterSelect
          label="Sentiment"
          options={SENTIMENTS}
          value={state.filter.sentiment}
          onChange={set('sentiment')}
        />
        <FilterSelect
          label="Priority"
          options={PRIORITIES}
          value={state.filter.priority}
          onChange={set('priority')}
        />
        <FilterSelect
          label="Event"
          options={eventOptions}
          value={state.filter.eventId}
          onChange={set('eventId')}
        />
        <TeamField value={state.filter.team} onChange={set('team')} />
        <FilterSelect
          label="Source"
          options={SOURCE_OPTIONS}
          value={state.filter.source}
          onChange={set('source')}
        />
      </fieldset>
      {(others.length > 0 || filtered) && (
        <div className="report-controls__chips">
          {others.map((key) => (
            <span key={key} className="chip">
              {OTHER_FILTER_LABEL[key] ?? key}: {state.filter[key]}
              <button
                type="button"
                className="chip__remove"
                aria-label={`Remove the ${OTHER_FILTER_LABEL[key] ?? key} filter`}
                onClick={() => onChange(withFilter(state, key, undefined))}
              >
                ×
              </button>
            </span>
          ))}
          {filtered && (
            <Button size="xsmall" onClick={() => onChange(withoutFilters(state))}>
              Clear filters
            </Button>
          )}
        </div>
      )}
      <nav className="report-controls__views" aria-label="This view on other reporting pages">
        Same period and filters on: <AppLink to={`/admin/${search}`}>Dashboard</AppLink> ·{' '}
        <AppLink to={`/admin/leaderboard${search}`}>Leaderboard</AppLink> ·{' '}
        <AppLink to={`/admin/themes${search}`}>Themes</AppLink> ·{' '}
        <AppLink to={`/admin/reports${search}`}>Reports</AppLink>
      </nav>
    </section>
  );
}
