import { Banner } from '@leafygreen-ui/banner';
import { Option, Select } from '@leafygreen-ui/select';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import {
  BUG_PRIORITIES,
  BUG_PRIORITY_LABEL,
  BUG_STATUS_LABEL,
  type BugStatus,
} from '../../../../contract/api/bug-reports.ts';
import { errorMessage } from '../../../ui/api.ts';
import { BugReportCard } from './BugReportCard.tsx';
import { type BugListFilter, useBugReports } from './queries.ts';
import { StatusChips } from './StatusChips.tsx';
import '../../access.css';
import './bug-reports.css';
import { LoadMore } from '../../components/LoadMore.tsx';

/** Admin → Bug reports (/admin/bug-reports): what people reported from the capture app, and its triage. */
export function BugReportsPage() {
  const [status, setStatus] = useState<BugStatus | undefined>('new');
  const [priority, setPriority] = useState<BugListFilter['priority']>(undefined);
  const [assignee, setAssignee] = useState<BugListFilter['assignee']>(undefined);
  const pages = useBugReports({ status, priority, assignee });
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const counts = pages.data?.pages[0]?.counts;
  const priorityCounts = pages.data?.pages[0]?.priorityCounts;
  const countOf = (key: string) => priorityCounts?.find((c) => c.priority === key)?.count;

  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Bug reports</H1>
      </div>
      <Body>
        Sent from the capture app's "Report a bug" screen, with the screen, app version and device they came
        from. Set a status, a priority and who works on it as you go through them; notes tell the next admin
        what you found.
      </Body>
      <StatusChips value={status} counts={counts} onChange={setStatus} />
      <div className="bug-filters">
        <Select
          label="Priority"
          size="small"
          allowDeselect={false}
          value={priority ?? 'all'}
          onChange={(value: string) =>
            setPriority(value === 'none' ? 'none' : BUG_PRIORITIES.find((p) => p === value))
          }
        >
          <Option value="all">Any priority</Option>
          {BUG_PRIORITIES.map((p) => (
            <Option key={p} value={p}>
              {`${BUG_PRIORITY_LABEL[p]} (${countOf(p) ?? '…'})`}
            </Option>
          ))}
          <Option value="none">{`Not set (${countOf('none') ?? '…'})`}</Option>
        </Select>
        <Select
          label="Assignee"
          size="small"
          allowDeselect={false}
          value={assignee ?? 'all'}
          onChange={(value: string) => setAssignee(value === 'me' || value === 'none' ? value : undefined)}
        >
          <Option value="all">Anyone</Option>
          <Option value="me">Assigned to me</Option>
          <Option value="none">Unassigned</Option>
        </Select>
      </div>
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
