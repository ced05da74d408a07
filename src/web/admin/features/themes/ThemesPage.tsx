import { Card } from '@leafygreen-ui/card';
import { Body, H1 } from '@leafygreen-ui/typography';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useViewBeacon } from '../analytics/useViewBeacon.ts';
import { useThemes } from '../reports/queries.ts';
import { ReportControls } from '../reports/ReportControls.tsx';
import { useReportState } from '../reports/useReportState.ts';
import { ThemeCard } from './ThemeCard.tsx';
import '../reports/reports.css';

/**
 * Themes (/admin/themes): phrases mentioned more this period than the one before, each with the quotes it
 * comes from and a link to exactly the insights behind it. Deterministic; `method` says how.
 */
export function ThemesPage() {
  useViewBeacon('themes');
  const [state, setState] = useReportState();
  const query = useThemes(state);
  const data = query.data;
  const fresh = data !== undefined && !query.isPlaceholderData ? data : undefined;

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Emerging themes</H1>
        {data !== undefined && <Body className="muted">{data.scopeLabel}</Body>}
      </div>
      <ReportControls state={state} onChange={setState} resolved={fresh?.period} />
      {query.isPending && <Body aria-live="polite">Loading…</Body>}
      <ProblemNotice error={query.error} what="Couldn't load the themes" />
      {data !== undefined && (
        <div
          className={query.isPlaceholderData ? 'report-body is-refreshing' : 'report-body'}
          aria-busy={query.isFetching}
          data-testid="themes"
        >
          <Card className="method">
            <Body>
              <strong>How themes are found.</strong> {data.method}
            </Body>
            <Body className="muted" data-testid="themes-considered">
              {data.insightsConsidered} insights considered in {data.period.label}.
            </Body>
          </Card>
          {data.themes.length === 0 ? (
            <Body className="muted" data-testid="themes-empty">
              No emerging themes in this period: nothing is mentioned clearly more than in the period before.
            </Body>
          ) : (
            data.themes.map((theme) => (
              <ThemeCard key={theme.key} theme={theme} period={data.period} state={state} />
            ))
          )}
        </div>
      )}
    </main>
  );
}
