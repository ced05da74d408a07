import { Banner } from '@leafygreen-ui/banner';
import { Option, Select } from '@leafygreen-ui/select';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { errorMessage } from '../../../ui/api.ts';
import { PERIODS, type Period, useSummary } from '../../queries.ts';
import { DistributionCard } from './DistributionCard.tsx';
import { InsightsSection } from './InsightsSection.tsx';
import { SummaryCards } from './SummaryCards.tsx';
import { TrendChart } from './TrendChart.tsx';

const toPeriod = (value: string): Period => PERIODS.find((period) => String(period) === value) ?? 30;

/** Totals, distributions and the daily trend of the person's reporting scope, then the insights themselves. */
export function DashboardPage() {
  const [days, setDays] = useState<Period>(30);
  const summary = useSummary(days);
  const data = summary.data;

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Dashboard</H1>
        <Select
          label="Period"
          size="small"
          allowDeselect={false}
          value={String(days)}
          onChange={(value: string) => setDays(toPeriod(value))}
          className="page-head__period"
        >
          {PERIODS.map((period) => (
            <Option key={period} value={String(period)}>
              {`Last ${period} days`}
            </Option>
          ))}
        </Select>
      </div>

      {summary.isPending && <Body aria-live="polite">Loading…</Body>}
      {summary.isError && (
        <Banner variant="danger">Couldn't load the dashboard: {errorMessage(summary.error)}</Banner>
      )}

      {data !== undefined && (
        <div
          className={summary.isPlaceholderData ? 'is-refreshing' : undefined}
          aria-busy={summary.isFetching}
        >
          <SummaryCards summary={data} />
          <TrendChart trend={data.trend} days={data.days} />
          <div className="dist-grid">
            <DistributionCard title="By type" rows={data.byType} />
            <DistributionCard title="By sentiment" rows={data.bySentiment} />
            <DistributionCard title="By priority" rows={data.byPriority} />
            <DistributionCard
              title="By product area"
              rows={data.byProductArea}
              note="An insight may name several product areas, so shares are of all area mentions."
            />
          </div>
        </div>
      )}

      <InsightsSection />
    </main>
  );
}
