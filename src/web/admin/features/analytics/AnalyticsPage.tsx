import { Card } from '@leafygreen-ui/card';
import { Option, Select } from '@leafygreen-ui/select';
import { Body, H1, Overline } from '@leafygreen-ui/typography';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  ANALYTICS_GRANULARITIES,
  ANALYTICS_SLICES,
  type AnalyticsGranularity,
  type AnalyticsSlice,
} from '../../../../contract/analytics.ts';
import type { Analytics, AnalyticsRatio } from '../../../../contract/api/analytics.ts';
import { api } from '../../../ui/api.ts';
import { DayField } from '../../components/DayField.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import {
  ActiveUsersSection,
  CapturesSection,
  EngagementSection,
  OfflineSection,
} from './AnalyticsSections.tsx';
import { percent } from './analyticsCharts.ts';
import { type AnalyticsState, analyticsParams, useAnalyticsState } from './analyticsState.ts';
import '../reports/reports.css';
import './analytics.css';

const GRANULARITY_LABEL: Record<AnalyticsGranularity, string> = { day: 'Day (UTC)', week: 'ISO week' };
const SLICE_LABEL: Record<AnalyticsSlice, string> = { role: 'Role', department: 'Department', team: 'Team' };

function useAnalytics(state: AnalyticsState) {
  const params = analyticsParams(state);
  return useQuery({
    queryKey: ['analytics', params],
    queryFn: () => api.get<Analytics>('/api/v1/analytics', params),
    placeholderData: keepPreviousData,
  });
}

function Controls({
  state,
  onChange,
  shown,
}: {
  state: AnalyticsState;
  onChange: (next: AnalyticsState) => void;
  shown: Analytics | undefined;
}) {
  const day = (value: string) => (value === '' ? undefined : value);
  return (
    <div className="analytics-controls" data-testid="analytics-controls">
      <DayField
        label="From"
        testId="analytics-from"
        value={state.from ?? shown?.from ?? ''}
        onChange={(value) => onChange({ ...state, from: day(value) })}
      />
      <DayField
        label="To"
        testId="analytics-to"
        value={state.to ?? shown?.to ?? ''}
        onChange={(value) => onChange({ ...state, to: day(value) })}
      />
      <Select
        label="Granularity"
        size="small"
        allowDeselect={false}
        value={state.granularity}
        onChange={(value: string) => {
          const granularity = ANALYTICS_GRANULARITIES.find((g) => g === value);
          if (granularity) onChange({ ...state, granularity });
        }}
        className="analytics-controls__select"
      >
        {ANALYTICS_GRANULARITIES.map((g) => (
          <Option key={g} value={g}>
            {GRANULARITY_LABEL[g]}
          </Option>
        ))}
      </Select>
      <Select
        label="Slice"
        size="small"
        allowDeselect={false}
        value={state.slice}
        onChange={(value: string) => {
          const slice = ANALYTICS_SLICES.find((s) => s === value);
          if (slice) onChange({ ...state, slice });
        }}
        className="analytics-controls__select"
      >
        {ANALYTICS_SLICES.map((s) => (
          <Option key={s} value={s}>
            {SLICE_LABEL[s]}
          </Option>
        ))}
      </Select>
    </div>
  );
}

function Kpi({
  id,
  label,
  value,
  note,
}: {
  id: string;
  label: string;
  value: string | number;
  note: string;
}) {
  return (
    <Card className="metric" data-testid={`kpi-${id}`}>
      <Overline as="h3" className="metric__label">
        {label}
      </Overline>
      <p className="metric__value">
        <span data-testid={`kpi-${id}-value`}>{value}</span>
      </p>
      <Body as="p" className="metric__change" data-testid={`kpi-${id}-note`}>
        {note}
      </Body>
    </Card>
  );
}

function Kpis({ data }: { data: Analytics }) {
  const { weekly } = data.activeUsers;
  const { offlineShare, recoveryRate } = data.offline;
  const of = (r: AnalyticsRatio) => `${r.numerator} of ${r.denominator}`;
  return (
    <section className="metrics" aria-label="Headline numbers">
      <Kpi
        id="active-users"
        label="Active users"
        value={data.activeUsers.total.total}
        note={`distinct people, ${data.from} to ${data.to}`}
      />
      <Kpi
        id="wau"
        label="Weekly active users"
        value={weekly.count}
        note={`${weekly.from} to ${weekly.to}`}
      />
      <Kpi
        id="captures"
        label="Captures"
        value={data.captures.total.total}
        note="insights written in the range"
      />
      <Kpi
        id="offline-share"
        label="Offline share"
        value={percent(offlineShare.total)}
        note={`${of(offlineShare.total)} saves were offline`}
      />
      <Kpi
        id="recovery-rate"
        label="Recovery rate"
        value={percent(recoveryRate.total)}
        note={`${of(recoveryRate.total)} sync sends reached the server`}
      />
      <Kpi
        id="adoption"
        label="Advocate adoption"
        value={percent(data.adoption)}
        note={`${of(data.adoption)} advocates captured`}
      />
    </section>
  );
}

/**
 * Product analytics (/admin/analytics, admins): active users by role and org slice, captures by team and event,
 * offline use and recovery, report engagement, per UTC day or ISO week. Every chart has its table; the
 * definitions are in docs/analytics.md.
 */
export function AnalyticsPage() {
  const [state, setState] = useAnalyticsState();
  const query = useAnalytics(state);
  const data = query.data;
  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Analytics</H1>
        {data !== undefined && (
          <Body className="muted" data-testid="analytics-range">
            {data.from} to {data.to} · {data.days} UTC days · by{' '}
            {GRANULARITY_LABEL[data.granularity].toLowerCase()}
          </Body>
        )}
      </div>
      <Controls state={state} onChange={setState} shown={data} />
      {query.isPending && <Body aria-live="polite">Loading…</Body>}
      <ProblemNotice error={query.error} what="Couldn't load the analytics" />
      {data !== undefined && (
        <div
          className={query.isPlaceholderData ? 'report-body is-refreshing' : 'report-body'}
          aria-busy={query.isFetching}
          data-testid="analytics"
          data-granularity={data.granularity}
        >
          <Kpis data={data} />
          <ActiveUsersSection data={data} />
          <CapturesSection data={data} />
          <OfflineSection data={data} />
          <EngagementSection data={data} />
        </div>
      )}
    </main>
  );
}
