import { useId } from 'react';
import './day-field.css';

export interface DayFieldProps {
  label: string;
  /** YYYY-MM-DD, or '' when empty. */
  value: string;
  onChange: (day: string) => void;
  invalid?: boolean;
  testId: string;
}

/** A native date field (keyboard, screen readers and the browser's own calendar all work), labelled. */
export function DayField({ label, value, onChange, invalid, testId }: DayFieldProps) {
  const id = useId();
  return (
    <div className="day-field">
      <label htmlFor={id} className="day-field__label">
        {label}
      </label>
      <input
        id={id}
        type="date"
        className="day-field__input"
        value={value}
        aria-invalid={invalid}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
