import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H3 } from '@leafygreen-ui/typography';
import { ApiError, errorMessage } from '../../../ui/api.ts';
import { useExecutiveSummary } from './queries.ts';
import { type ReportState, reportSearch } from './reportQuery.ts';

/** Why there is no summary, calmly: not configured is a setting, not an incident. */
function SummaryProblem({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 503) {
    return (
      <Banner variant="info" data-testid="summary-unavailable">
        AI summaries are not configured on this server. The report above is complete without one.
      </Banner>
    );
  }
  return (
    <Banner variant="warning" data-testid="summary-error">
      Couldn't generate the summary: {errorMessage(error)} The report above is unaffected; try again later.
    </Banner>
  );
}

/**
 * The optional LLM summary of the report on screen (only offered when the server has a provider). It is
 * generated on request, shown with its disclaimer, and belongs to the period and filter it was asked for.
 */
export function AiSummary({ state, available }: { state: ReportState; available: boolean }) {
  const summary = useExecutiveSummary();
  const key = reportSearch(state, null);
  const askedFor = summary.variables === undefined ? null : reportSearch(summary.variables, null);
  const current = askedFor === key;
  if (!available) return null;

  return (
    <Card className="ai-summary" data-testid="ai-summary">
      <H3 as="h2" className="dist__title">
        AI summary
      </H3>
      {current && summary.isSuccess ? (
        <>
          {summary.data.text
            .split(/\n{2,}/)
            .filter((paragraph) => paragraph.trim() !== '')
            .map((paragraph) => (
              <Body as="p" key={paragraph} className="ai-summary__text">
                {paragraph}
              </Body>
            ))}
          <Body className="muted" data-testid="summary-disclaimer">
            {summary.data.disclaimer} ({summary.data.model},{' '}
            {new Date(summary.data.generatedAt).toLocaleString()})
          </Body>
        </>
      ) : (
        <>
          <Body className="muted">
            A short summary written by a language model from this report's numbers, themes and quotes. The
            numbers of record are the ones above.
          </Body>
          <div>
            <Button
              onClick={() => summary.mutate(state)}
              disabled={summary.isPending}
              isLoading={summary.isPending}
              loadingText="Generating…"
            >
              Generate AI summary
            </Button>
          </div>
        </>
      )}
      {current && summary.isError && <SummaryProblem error={summary.error} />}
    </Card>
  );
}
