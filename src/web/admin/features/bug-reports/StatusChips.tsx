import { BUG_STATUS_LABEL, BUG_STATUSES, type BugStatus } from '../../../../contract/api/bug-reports.ts';

interface StatusChipsProps {
  value: BugStatus | undefined;
  counts: { status: BugStatus; count: number }[] | undefined;
  onChange: (status: BugStatus | undefined) => void;
}

/** "All", "New 3", "Triaged 1"…: toggle buttons (aria-pressed), one pressed at a time, each with its count. */
export function StatusChips({ value, counts, onChange }: StatusChipsProps) {
  const countOf = (status: BugStatus) => counts?.find((c) => c.status === status)?.count;
  const total = counts?.reduce((sum, c) => sum + c.count, 0);
  const chip = (status: BugStatus | undefined, label: string, count: number | undefined) => (
    <button
      key={status ?? 'all'}
      type="button"
      className="status-chip"
      aria-pressed={value === status ? 'true' : 'false'}
      onClick={() => onChange(status)}
    >
      {label}
      {count !== undefined && <span className="status-chip__count">{count}</span>}
    </button>
  );
  return (
    <fieldset className="status-chips">
      <legend className="visually-hidden">Show bug reports by status</legend>
      {chip(undefined, 'All', total)}
      {BUG_STATUSES.map((status) => chip(status, BUG_STATUS_LABEL[status], countOf(status)))}
    </fieldset>
  );
}
