import { Badge } from '@leafygreen-ui/badge';
import { Card } from '@leafygreen-ui/card';
import {
  BUG_PRIORITY_LABEL,
  BUG_STATUS_LABEL,
  type BugPriority,
  type BugReport,
  type BugStatus,
} from '../../../../contract/api/bug-reports.ts';
import { dateTime } from '../../../ui/format.ts';
import { NotesThread } from './NotesThread.tsx';
import { TriageForm } from './TriageForm.tsx';

const VARIANT: Record<BugStatus, 'yellow' | 'blue' | 'green' | 'lightgray'> = {
  new: 'yellow',
  triaged: 'blue',
  in_progress: 'blue',
  resolved: 'green',
  wont_fix: 'lightgray',
};

const PRIORITY_VARIANT: Record<BugPriority, 'lightgray' | 'blue' | 'yellow' | 'red'> = {
  low: 'lightgray',
  medium: 'blue',
  high: 'yellow',
  critical: 'red',
};

/** One report: what the person wrote, where and on what, their screenshot, its triage and its notes thread. */
export function BugReportCard({ report }: { report: BugReport }) {
  const device = Object.entries(report.device);
  return (
    <Card className="bug-report" data-testid="bug-report" data-report-id={report.id}>
      <div className="bug-report__head">
        <Badge variant={VARIANT[report.status]}>{BUG_STATUS_LABEL[report.status]}</Badge>
        {report.priority !== null && (
          <Badge variant={PRIORITY_VARIANT[report.priority]}>
            {BUG_PRIORITY_LABEL[report.priority]} priority
          </Badge>
        )}
        <span>
          <strong>{report.reporter.name}</strong>
          <span className="muted">
            {' '}
            on {report.screen} · app {report.appVersion} · {dateTime(report.reportedAt)}
          </span>
        </span>
      </div>
      <div className="bug-report__body">
        <p className="bug-report__description">{report.description}</p>
        {report.screenshotUrl !== null && (
          <a
            href={report.screenshotUrl}
            target="_blank"
            rel="noopener noreferrer"
            className="bug-report__shot"
          >
            <img
              src={report.screenshotUrl}
              alt={`Screenshot from ${report.reporter.name}'s report`}
              loading="lazy"
            />
          </a>
        )}
      </div>
      {device.length > 0 && (
        <details className="bug-report__device">
          <summary>Device details</summary>
          <dl className="facts">
            {device.map(([key, value]) => (
              <div key={key} className="facts__row">
                <dt>{key}</dt>
                <dd>{String(value)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      {report.triagedBy !== null && (
        <p className="muted">
          Last triaged by {report.triagedBy.name}
          {report.triagedAt === null ? '' : `, ${dateTime(report.triagedAt)}`}
        </p>
      )}
      {report.assignee !== null && <p className="muted">Assigned to {report.assignee.name}</p>}
      <TriageForm report={report} />
      <NotesThread report={report} />
    </Card>
  );
}
