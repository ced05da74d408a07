import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { type FormEvent, useEffect, useState } from 'react';
import {
  BUG_PRIORITIES,
  BUG_PRIORITY_LABEL,
  BUG_STATUS_LABEL,
  BUG_STATUSES,
  type BugPriority,
  type BugReport,
  type BugReportUpdate,
  type BugStatus,
} from '../../../../contract/api/bug-reports.ts';
import { ApiError } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useAssignees, useUpdateBugReport } from './queries.ts';

const NONE = 'none';

/**
 * Status, priority and assignee of one report, saved together with the version the page loaded. When another
 * admin saved first (409), the page reloads the report and says so; the person reviews and saves again.
 */
export function TriageForm({ report }: { report: BugReport }) {
  const [status, setStatus] = useState<BugStatus>(report.status);
  const [priority, setPriority] = useState<BugPriority | null>(report.priority);
  const [assigneeId, setAssigneeId] = useState<string | null>(report.assignee?.id ?? null);
  const update = useUpdateBugReport();
  const assignees = useAssignees();
  // A newer version arrived (after a save or a conflict): start from what is stored now.
  useEffect(() => {
    setStatus(report.status);
    setPriority(report.priority);
    setAssigneeId(report.assignee?.id ?? null);
  }, [report.status, report.priority, report.assignee?.id]);

  const body: BugReportUpdate = { version: report.version };
  if (status !== report.status) body.status = status;
  if (priority !== report.priority) body.priority = priority;
  if (assigneeId !== (report.assignee?.id ?? null)) body.assigneeId = assigneeId;
  const unchanged = Object.keys(body).length === 1;
  const conflict = update.error instanceof ApiError && update.error.status === 409;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: report.id, body });
  };

  const people = assignees.data?.items ?? [];
  const options =
    report.assignee && !people.some((p) => p.id === report.assignee?.id)
      ? [report.assignee, ...people]
      : people;

  return (
    <form className="triage-form" onSubmit={submit} aria-label={`Triage report from ${report.reporter.name}`}>
      <div className="triage-form__fields">
        <Select
          label="Status"
          size="small"
          allowDeselect={false}
          value={status}
          onChange={(value: string) => setStatus(BUG_STATUSES.find((s) => s === value) ?? status)}
          className="triage-form__status"
        >
          {BUG_STATUSES.map((s) => (
            <Option key={s} value={s}>
              {BUG_STATUS_LABEL[s]}
            </Option>
          ))}
        </Select>
        <Select
          label="Priority"
          size="small"
          allowDeselect={false}
          value={priority ?? NONE}
          onChange={(value: string) => setPriority(BUG_PRIORITIES.find((p) => p === value) ?? null)}
          className="triage-form__priority"
        >
          <Option value={NONE}>Not set</Option>
          {BUG_PRIORITIES.map((p) => (
            <Option key={p} value={p}>
              {BUG_PRIORITY_LABEL[p]}
            </Option>
          ))}
        </Select>
        <Select
          label="Assignee"
          size="small"
          allowDeselect={false}
          value={assigneeId ?? NONE}
          onChange={(value: string) => setAssigneeId(value === NONE ? null : value)}
          className="triage-form__assignee"
          disabled={assignees.isPending}
        >
          <Option value={NONE}>Unassigned</Option>
          {options.map((person) => (
            <Option key={person.id} value={person.id}>
              {person.name}
            </Option>
          ))}
        </Select>
        <Button type="submit" size="small" variant="primary" disabled={update.isPending || unchanged}>
          Save
        </Button>
      </div>
      {update.isSuccess && unchanged && (
        <p className="muted" role="status">
          Saved.
        </p>
      )}
      {conflict ? (
        <p role="alert" className="triage-form__conflict">
          Another admin changed this report while you were editing. It now shows their change; review it and
          save again.
        </p>
      ) : (
        <ProblemNotice error={update.error} what="Couldn't save" />
      )}
    </form>
  );
}
