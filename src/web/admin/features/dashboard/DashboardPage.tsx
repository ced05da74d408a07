import { Card } from '@leafygreen-ui/card';
import { Body, H1, H2, H3 } from '@leafygreen-ui/typography';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useViewBeacon } from '../analytics/useViewBeacon.ts';
import { CriticalList } from '../reports/CriticalList.tsx';
import { MetricCards } from '../reports/MetricCards.tsx';
import { useDashboard } from '../reports/queries.ts';
import { ReportControls } from '../reports/ReportControls.tsx';
import { useReportState } from '../reports/useReportState.ts';
import { DistributionCard } from './DistributionCard.tsx';
import { authorHref, cardHref, dimensionHref, drillHref, eventHref, trendDayHref } from './drilldown.ts';
import { CoverageTable, RankedTable } from './TopTables.tsx';
import { TrendChart } from './TrendChart.tsx';

/**
 * The reporting dashboard of the person's scope for a period and filter (both in the URL): headline numbers
 * against the previous period, the 90-day trend, distributions, top events and contributors, critical items
 * and capture coverage. Every bar, slice, day and row leads to the Insights page with that filter.
 */
export function DashboardPage() {
  useViewBeacon('dashboard');
  const [state, setState] = useReportState();
  const dashboard = useDashboard(state);
  const data = dashboard.data;
  const fresh = data !== undefined && !dashboard.isPlaceholderData ? data : undefined;

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Dashboard</H1>
        {data !== undefined && (
          <Body className="muted" data-testid="dashboard-scope">
            {data.scopeLabel}
          </Body>
        )}
      </div>
      <ReportControls state={state} onChange={setState} resolved={fresh?.period} />

      {dashboard.isPending && <Body aria-live="polite">Loading…</Body>}
      <ProblemNotice error={dashboard.error} what="Couldn't load the dashboard" />

      {data !== undefined && (
        <div
          className={dashboard.isPlaceholderData ? 'report-body is-refreshing' : 'report-body'}
          aria-busy={dashboard.isFetching}
          data-testid="dashboard"
        >
          <MetricCards cards={data.cards} hrefOf={(key) => cardHref(state, data.period, key)} />
          <TrendChart trend={data.trend} dayHref={(day, sentiment) => trendDayHref(state, day, sentiment)} />

          <section aria-labelledby="dist-heading">
            <H2 id="dist-heading" className="section-title">
              Distributions
            </H2>
            <div className="dist-grid">
              <DistributionCard
                title="By type"
                testId="dist-type"
                rows={data.distributions.byType}
                hrefOf={(key) => dimensionHref(state, data.period, 'type', key)}
              />
              <DistributionCard
                title="By sentiment"
                testId="dist-sentiment"
                kind="pie"
                rows={data.distributions.bySentiment}
                hrefOf={(key) => dimensionHref(state, data.period, 'sentiment', key)}
              />
              <DistributionCard
                title="By priority"
                testId="dist-priority"
                rows={data.distributions.byPriority}
                hrefOf={(key) => dimensionHref(state, data.period, 'priority', key)}
              />
              <DistributionCard
                title="By product area"
                testId="dist-area"
                rows={data.distributions.byProductArea}
                hrefOf={(key) => dimensionHref(state, data.period, 'productArea', key)}
                note="An insight may name several product areas; it counts once in each."
              />
            </div>
          </section>

          <section aria-labelledby="top-heading">
            <H2 id="top-heading" className="section-title">
              Top events and contributors
            </H2>
            <div className="dist-grid">
              <RankedTable
                title="Top events"
                noun="Event"
                testId="top-events"
                rows={data.topEvents}
                hrefOf={(id) => eventHref(state, data.period, id)}
              />
              <RankedTable
                title="Top contributors"
                noun="Person"
                testId="top-contributors"
                showTeam
                rows={data.topContributors}
                hrefOf={(id) => authorHref(state, data.period, id)}
              />
            </div>
          </section>

          <Card className="critical" data-testid="critical">
            <H3 as="h2" className="dist__title">
              Critical items
            </H3>
            <CriticalList
              items={data.critical}
              allHref={drillHref(state, data.period, { priority: 'critical' })}
              total={data.cards.find((card) => card.key === 'critical')?.value}
            />
          </Card>

          <CoverageTable rows={data.coverage} hrefOf={(id) => eventHref(state, data.period, id)} />

          <Body className="muted report-foot">
            Taxonomy {data.taxonomyVersion} · generated {new Date(data.generatedAt).toLocaleString()} · every
            number is defined in the report definitions (docs/reporting.md).
          </Body>
        </div>
      )}
    </main>
  );
}
