import { Card } from '@leafygreen-ui/card';
import { Body, Overline } from '@leafygreen-ui/typography';
import type { DashboardSummary } from '../../../../contract/api/insights.ts';

interface StatProps {
  label: string;
  value: number;
  testId: string;
  note?: string;
}

function Stat({ label, value, testId, note }: StatProps) {
  return (
    <Card className="stat">
      <Overline as="h2" className="stat__label">
        {label}
      </Overline>
      <p className="stat__value">
        <span data-testid={testId}>{value}</span>
      </p>
      {note !== undefined && <Body className="stat__note">{note}</Body>}
    </Card>
  );
}

/** The two headline numbers of the reporting scope. */
export function SummaryCards({ summary }: { summary: DashboardSummary }) {
  return (
    <section className="stats" aria-label="Summary">
      <Stat
        label="Insights in scope"
        value={summary.total}
        testId="summary-total"
        note={summary.scopeLabel}
      />
      <Stat
        label={`Captured in the last ${summary.days} days`}
        value={summary.inPeriod}
        testId="summary-in-period"
      />
    </section>
  );
}
