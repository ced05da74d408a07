import { Badge } from '@leafygreen-ui/badge';
import { type ReactNode, useId } from 'react';
import { type DecisionField, type DecisionStatus, STATUS_LABEL } from '../../../../contract/api/decisions.ts';

/** Labels and small pieces shared by the register's list, detail and form. */
export const FIELD_LABEL: Record<DecisionField, string> = {
  workstream: 'Workstream',
  title: 'Decision',
  direction: 'Direction',
  owner: 'Owner',
  status: 'Status',
  dependsOn: 'Depends on',
  nextAction: 'Next action',
  dueDate: 'Due date',
};

export const fieldLabel = (field: string) => FIELD_LABEL[field as DecisionField] ?? field;

const STATUS_VARIANT = {
  in_discovery: 'lightgray',
  drafted: 'blue',
  needs_decision: 'yellow',
  needs_validation: 'darkgray',
  blocked: 'red',
  decided: 'green',
} as const satisfies Record<DecisionStatus, string>;

export function StatusBadge({ status }: { status: DecisionStatus }) {
  return (
    <Badge variant={STATUS_VARIANT[status]} data-testid="decision-status">
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function DueDate({ dueDate, overdue }: { dueDate: string | null; overdue: boolean }) {
  if (dueDate === null) return <span className="dc-muted">—</span>;
  return overdue ? (
    <span className="dc-overdue" data-testid="overdue">
      {dueDate} · overdue
    </span>
  ) : (
    <span>{dueDate}</span>
  );
}

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}

/** A labelled native control with its error (or hint) below it. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = error ?? hint;
  return (
    <div className="dc-field">
      <label className="dc-field__label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        ...(note !== undefined ? { 'aria-describedby': noteId } : {}),
        ...(error !== undefined ? { 'aria-invalid': true } : {}),
      })}
      {note !== undefined && (
        <span id={noteId} className={error !== undefined ? 'dc-field__error' : 'dc-field__hint'}>
          {note}
        </span>
      )}
    </div>
  );
}
