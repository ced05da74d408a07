import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1, H2, H3 } from '@leafygreen-ui/typography';
import type { CountRow } from '../../../../contract/api/common.ts';
import type { ExecutiveReport } from '../../../../contract/api/reporting.ts';
import type { ReportPeriod } from '../../../../contract/reporting.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useViewBeacon } from '../analytics/useViewBeacon.ts';
import { cardHref, drillHref, eventHref } from '../dashboard/drilldown.ts';
import { filterQueryString } from '../insights/filterUrl.ts';
import { ThemeCard } from '../themes/ThemeCard.tsx';
import { AiSummary } from './AiSummary.tsx';
import { CriticalList } from './CriticalList.tsx';
import { periodSentence } from './format.ts';
import { MetricCards } from './MetricCards.tsx';
import { useExecutiveReport } from './queries.ts';
import { ReportControls } from './ReportControls.tsx';
import {
  filterFor,
  previewPeriod,
  type ReportState,
  reportParams,
  searchOf,
  todayUtc,
} from './reportQuery.ts';
import { useReportState } from './useReportState.ts';
import './reports.css';

/** Executive reports cover calendar periods or chosen days. */
const REPORT_PERIODS: readonly ReportPeriod[] = ['week', 'month', 'quarter', 'custom'];

/** The three downloads of the report on screen: the same period, filter and scope as the page. */
function Downloads({ state, report }: { state: ReportState; report: ExecutiveReport | undefined }) {
  const params = searchOf(reportParams(state));
  const days = report?.period ?? previewPeriod(state, todayUtc()).period;
  const insightsCsv =
    days === null ? null : `/api/v1/exports/insights.csv?${filterQueryString(filterFor(state, days))}`;
  return (
    <div className="downloads" data-testid="downloads">
      <Button
        as="a"
        href={`/api/v1/reports/executive.pdf${params}`}
        variant="primary"
        data-testid="download-pdf"
      >
        Download PDF
      </Button>
      <Button as="a" href={`/api/v1/reports/executive.csv${params}`} data-testid="download-csv">
        Download CSV
      </Button>
      {insightsCsv !== null && (
        <Button as="a" href={insightsCsv} data-testid="export-insights">
          Export insights CSV
        </Button>
      )}
    </div>
  );
}

function CountTable({ title, rows }: { title: string; rows: CountRow[] }) {
  const shown = rows.filter((row) => row.count > 0);
  return (
    <div className="report-dist">
      <H3 as="h4" className="dist__title">
        {title}
      </H3>
      {shown.length === 0 ? (
        <Body className="muted">None.</Body>
      ) : (
        <table className="dist__table">
          <tbody>
            {shown.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <td className="num">{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ReportBody({ report, state }: { report: ExecutiveReport; state: ReportState }) {
  const critical = report.cards.find((card) => card.key === 'critical')?.value;
  return (
    <>
      <Card className="report-title">
        <H2 data-testid="report-title">{report.title}</H2>
        <Body className="muted">
          {report.scopeLabel} · {periodSentence(report.period)} (UTC days)
        </Body>
      </Card>
      <MetricCards cards={report.cards} hrefOf={(key) => cardHref(state, report.period, key)} />
      <Card className="narrative" data-testid="narrative">
        <H3 as="h2" className="dist__title">
          Summary
        </H3>
        {report.narrative.map((paragraph) => (
          <section key={paragraph.heading} className="narrative__part">
            <H3 className="narrative__heading">{paragraph.heading}</H3>
            <Body as="p">{paragraph.text}</Body>
          </section>
        ))}
      </Card>
      <AiSummary state={state} available={report.summaryAvailable} />
      <section aria-labelledby="report-themes" className="report-section">
        <H2 id="report-themes" className="section-title">
          Emerging themes
        </H2>
        {report.themes.length === 0 ? (
          <Body className="muted">No emerging themes in this period.</Body>
        ) : (
          report.themes.map((theme) => (
            <ThemeCard key={theme.key} theme={theme} period={report.period} state={state} level="h3" />
          ))
        )}
      </section>
      <Card className="critical">
        <H3 as="h2" className="dist__title">
          Critical items
        </H3>
        <CriticalList
          items={report.critical}
          allHref={drillHref(state, report.period, { priority: 'critical' })}
          total={critical}
        />
      </Card>
      <Card>
        <H3 as="h2" className="dist__title">
          Mix
        </H3>
        <div className="report-dists">
          <CountTable title="By type" rows={report.distributions.byType} />
          <CountTable title="By sentiment" rows={report.distributions.bySentiment} />
          <CountTable title="By priority" rows={report.distributions.byPriority} />
          <CountTable title="By product area" rows={report.distributions.byProductArea} />
        </div>
      </Card>
      <Card>
        <H3 as="h2" className="dist__title">
          Top events
        </H3>
        {report.topEvents.length === 0 ? (
          <Body className="muted">No event has insights in this period.</Body>
        ) : (
          <ol className="top-events">
            {report.topEvents.map((event) => (
              <li key={event.id}>
                <AppLink to={eventHref(state, report.period, event.id)}>{event.name}</AppLink> — {event.count}{' '}
                {event.count === 1 ? 'insight' : 'insights'}
              </li>
            ))}
          </ol>
        )}
      </Card>
      <Body className="muted report-foot">
        Taxonomy {report.taxonomyVersion} · generated {new Date(report.generatedAt).toLocaleString()}
      </Body>
    </>
  );
}

/**
 * Reports (/admin/reports): the executive report of a week, month, quarter or chosen days — deterministic
 * narrative, numbers, themes with quotes, critical items — with PDF and CSV downloads of the same report.
 */
export function ReportsPage() {
  useViewBeacon('executive_report');
  const [state, setState] = useReportState('month');
  const query = useExecutiveReport(state);
  const report = query.data;
  const fresh = report !== undefined && !query.isPlaceholderData ? report : undefined;

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Executive report</H1>
      </div>
      <ReportControls state={state} onChange={setState} periods={REPORT_PERIODS} resolved={fresh?.period} />
      <Downloads state={state} report={fresh} />
      {query.isPending && <Body aria-live="polite">Loading…</Body>}
      <ProblemNotice error={query.error} what="Couldn't build the report" />
      {report !== undefined && (
        <div
          className={query.isPlaceholderData ? 'report-body is-refreshing' : 'report-body'}
          aria-busy={query.isFetching}
          data-testid="report"
        >
          <ReportBody report={report} state={state} />
        </div>
      )}
    </main>
  );
}
