import { Button } from '@leafygreen-ui/button';
import { Option, Select } from '@leafygreen-ui/select';
import { TextInput } from '@leafygreen-ui/text-input';
import { type FormEvent, useState } from 'react';
import {
  BUG_STATUS_LABEL,
  BUG_STATUSES,
  type BugReport,
  type BugStatus,
} from '../../../../contract/api/bug-reports.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useTriageBugReport } from './queries.ts';

/**
 * Status and note of one report, saved together. The note field shows the current note: emptying it and
 * saving clears it.
 */
export function TriageForm({ report }: { report: BugReport }) {
  const [status, setStatus] = useState<BugStatus>(report.status);
  const [note, setNote] = useState(report.triageNote ?? '');
  const triage = useTriageBugReport();
  const unchanged = status === report.status && note.trim() === (report.triageNote ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = note.trim();
    triage.mutate({ id: report.id, body: { status, note: text === '' ? null : text } });
  };

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
        <TextInput
          label="Note (optional)"
          sizeVariant="small"
          value={note}
          maxLength={LIMITS.noteBody}
          onChange={(change) => setNote(change.target.value)}
          className="triage-form__note"
        />
        <Button type="submit" size="small" variant="primary" disabled={triage.isPending || unchanged}>
          Save
        </Button>
      </div>
      {triage.isSuccess && unchanged && (
        <p className="muted" role="status">
          Saved.
        </p>
      )}
      <ProblemNotice error={triage.error} what="Couldn't save" />
    </form>
  );
}
