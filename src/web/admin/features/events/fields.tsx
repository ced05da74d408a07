import { Badge } from '@leafygreen-ui/badge';
import { type ReactNode, useId } from 'react';
import type { EventListItem } from '../../../../contract/api/events.ts';
import { EVENT_STATUSES } from '../../../../contract/program.ts';
import { labelOf, type TaxonomyEntry } from '../../../../contract/taxonomy.ts';

/**
 * Native form fields for the event and session forms (labelled, with the field's error below it). Native
 * inputs on purpose: date, datetime-local and datalist come with the browser, and tests address them by label.
 */

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}

/** A label, the control `children` renders with the right ids, and the hint or the error under it. */
export function Field({ label, error, hint, className, children }: FieldProps) {
  const id = useId();
  const noteId = `${id}-note`;
  const hasNote = error !== undefined || hint !== undefined;
  return (
    <div className={`ev-field${className === undefined ? '' : ` ${className}`}`}>
      <label className="ev-field__label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        ...(hasNote ? { 'aria-describedby': noteId } : {}),
        ...(error !== undefined ? { 'aria-invalid': true } : {}),
      })}
      {error !== undefined ? (
        <span id={noteId} className="ev-field__error" data-testid="field-error">
          {error}
        </span>
      ) : (
        hint !== undefined && (
          <span id={noteId} className="ev-field__hint">
            {hint}
          </span>
        )
      )}
    </div>
  );
}

interface TextProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength?: number;
  error?: string | undefined;
  hint?: ReactNode;
  type?: 'text' | 'url' | 'date' | 'datetime-local' | 'number';
  multiline?: boolean;
  list?: string;
  required?: boolean;
  placeholder?: string;
  className?: string;
  step?: string;
}

export function TextInput(props: TextProps) {
  const { label, value, onChange, maxLength, error, hint, type, multiline, list, required, placeholder } =
    props;
  return (
    <Field label={label} error={error} hint={hint} className={props.className}>
      {(ids) =>
        multiline === true ? (
          <textarea
            {...ids}
            className="ev-input"
            rows={4}
            value={value}
            maxLength={maxLength}
            onChange={(event) => onChange(event.target.value)}
          />
        ) : (
          <input
            {...ids}
            className="ev-input"
            type={type ?? 'text'}
            value={value}
            maxLength={maxLength}
            list={list}
            required={required}
            placeholder={placeholder}
            step={props.step}
            onChange={(event) => onChange(event.target.value)}
          />
        )
      }
    </Field>
  );
}

interface ChoiceProps {
  label: string;
  value: string;
  options: readonly TaxonomyEntry[];
  onChange: (value: string) => void;
  /** A first option meaning "none" (its value is ''). */
  empty?: string;
  error?: string | undefined;
}

export function ChoiceInput({ label, value, options, onChange, empty, error }: ChoiceProps) {
  return (
    <Field label={label} error={error}>
      {(ids) => (
        <select
          {...ids}
          className="ev-input"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        >
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const STATUS_VARIANT = {
  planning: 'lightgray',
  confirmed: 'blue',
  completed: 'green',
  postponed: 'yellow',
  cancelled: 'red',
} as const;

export function StatusBadge({ status }: { status: EventListItem['status'] }) {
  return (
    <Badge variant={STATUS_VARIANT[status]} data-testid="event-status">
      {labelOf(EVENT_STATUSES, status)}
    </Badge>
  );
}

export function ActiveBadge({ active }: { active: boolean }) {
  return active ? (
    <Badge variant="green" data-testid="event-active">
      Active
    </Badge>
  ) : (
    <Badge variant="lightgray" data-testid="event-active">
      Not in picker
    </Badge>
  );
}

/** "12–14 Mar 2026" style range of two calendar days (no time zone shift: they are days, not moments). */
export function dayRange(startsOn: string, endsOn: string): string {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  const day = (iso: string) => format.format(new Date(`${iso}T00:00:00Z`));
  return startsOn === endsOn ? day(startsOn) : `${day(startsOn)} – ${day(endsOn)}`;
}
