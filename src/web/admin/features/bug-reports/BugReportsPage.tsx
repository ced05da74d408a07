import { Banner } from '@leafygreen-ui/banner';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { BUG_STATUS_LABEL, type BugStatus } from '../../../../contract/api/bug-reports.ts';
import { errorMessage } from '../../../ui/api.ts';
import { BugReportCard } from './BugReportCard.tsx';
import { useBugReports } from './queries.ts';
import { StatusChips } from './StatusChips.tsx';
import '../../access.css';
import './bug-reports.css';
import { LoadMore } from '../../components/LoadMore.tsx';

/** Admin → Bug reports (/admin/bug-reports): what people reported from the capture app, and its triage. */
export function BugReportsPage() {
  const [status, setStatus] = useState<BugStatus | undefined>('new');
  const pages = useBugReports(status);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const counts = pages.data?.pages[0]?.counts;

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Bug reports</H1>
      </div>
      <Body>
        Sent from the capture app's "Report a bug" screen, with the screen, app version and device they came
        from. Set a status as you work through them; a note tells the next admin what you found.
      </Body>
      <StatusChips value={status} counts={counts} onChange={setStatus} />
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Banner variant="danger">Couldn't load bug reports: {errorMessage(pages.error)}</Banner>
      )}
      {pages.isSuccess && items.length === 0 && (
        <Body className="empty">
          No bug reports{status === undefined ? '' : ` with status ${BUG_STATUS_LABEL[status]}`}.
        </Body>
      )}
      <div className="bug-reports">
        {items.map((report) => (
          <BugReportCard key={report.id} report={report} />
        ))}
      </div>
      <LoadMore pages={pages} />
    </main>
  );
}
