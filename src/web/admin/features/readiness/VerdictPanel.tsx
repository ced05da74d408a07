import { Banner } from '@leafygreen-ui/banner';
import { Body } from '@leafygreen-ui/typography';
import { type ReadinessReport, VERDICT_LABEL } from '../../../../contract/api/readiness.ts';
import { dateTime } from '../../../ui/format.ts';
import { VERDICT_VARIANT } from './readinessModel.ts';

/** Pass / warn / fail counts as a small definition list. */
export function Counts({ counts }: { counts: ReadinessReport['counts'] }) {
  return (
    <dl className="readiness-counts" data-testid="readiness-counts">
      <div>
        <dt>Pass</dt>
        <dd data-testid="count-pass">{counts.pass}</dd>
      </div>
      <div>
        <dt>Warn</dt>
        <dd data-testid="count-warn">{counts.warn}</dd>
      </div>
      <div>
        <dt>Fail</dt>
        <dd data-testid="count-fail">{counts.fail}</dd>
      </div>
    </dl>
  );
}

/**
 * The verdict by the release rule (every P0 gate passes and no blocker is open), where and when it was evaluated,
 * the counts, and why. `live` announces changes (aria-live) — a snapshot's verdict never changes.
 */
export function VerdictPanel({
  report,
  live,
  testId,
}: {
  report: ReadinessReport;
  live: boolean;
  testId: string;
}) {
  return (
    <section
      className="readiness-verdict"
      aria-label={live ? 'Verdict' : 'Snapshot verdict'}
      data-testid={testId}
    >
      <Banner variant={VERDICT_VARIANT[report.verdict]}>
        <div aria-live={live ? 'polite' : undefined} aria-atomic="true">
          <span className="readiness-verdict__label">Verdict: </span>
          <strong className="readiness-verdict__value" data-testid="verdict" data-verdict={report.verdict}>
            {VERDICT_LABEL[report.verdict]}
          </strong>
        </div>
        <Body className="muted">
          Environment <strong data-testid="environment">{report.environment}</strong> · evaluated{' '}
          <time dateTime={report.evaluatedAt}>{dateTime(report.evaluatedAt)}</time>
        </Body>
      </Banner>
      <Counts counts={report.counts} />
      {report.reasons.length > 0 && (
        <div>
          <Body weight="medium">{report.verdict === 'go' ? 'Notes' : 'Why'}</Body>
          <ul className="readiness-reasons" data-testid="verdict-reasons">
            {report.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      {report.blockers.length > 0 && (
        <div>
          <Body weight="medium">Open blockers</Body>
          <ul className="readiness-reasons" data-testid="verdict-blockers">
            {report.blockers.map((blocker) => (
              <li key={blocker.id}>
                {blocker.title}{' '}
                <span className="muted">
                  ({blocker.owner}, {blocker.status})
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
