import { type ReactNode, useId } from 'react';
import type { TaxonomyEntry } from '../../../../contract/taxonomy.ts';

/** Small native form fields for dialogs and the drawer (native selects work inside a modal <dialog>). */

interface SelectFieldProps {
  label: string;
  value: string;
  options: readonly TaxonomyEntry[];
  onChange: (value: string) => void;
  /** An extra first option, e.g. ['', 'Keep as is']. */
  empty?: [string, string];
  disabled?: boolean;
  name?: string;
}

export function SelectField({ label, value, options, onChange, empty, disabled, name }: SelectFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        className="field__input"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      >
        {empty !== undefined && <option value={empty[0]}>{empty[1]}</option>}
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  description?: ReactNode;
  multiline?: boolean;
  type?: 'text' | 'url';
  name?: string;
  disabled?: boolean;
  error?: string | undefined;
}

export function TextField(props: TextFieldProps) {
  const { label, value, onChange, maxLength, description, multiline, type, name, disabled, error } = props;
  const id = useId();
  const describedBy = description !== undefined || error !== undefined ? `${id}-desc` : undefined;
  const common = {
    id,
    name,
    className: 'field__input',
    value,
    maxLength,
    disabled,
    'aria-describedby': describedBy,
    'aria-invalid': error !== undefined ? true : undefined,
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {multiline === true ? (
        <textarea {...common} rows={5} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type={type ?? 'text'} onChange={(event) => onChange(event.target.value)} />
      )}
      {describedBy !== undefined && (
        <span id={describedBy} className={error !== undefined ? 'field__error' : 'field__desc'}>
          {error ?? description}
        </span>
      )}
    </div>
  );
}

interface CheckGroupProps {
  legend: string;
  options: readonly TaxonomyEntry[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  disabled?: boolean;
}

export function CheckGroup({ legend, options, value, onChange, disabled }: CheckGroupProps) {
  return (
    <fieldset className="check-group">
      <legend className="field__label">{legend}</legend>
      {options.map((option) => (
        <label key={option.id} className="check">
          <input
            type="checkbox"
            disabled={disabled}
            checked={value.includes(option.id)}
            onChange={(event) =>
              onChange(event.target.checked ? [...value, option.id] : value.filter((id) => id !== option.id))
            }
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A day (YYYY-MM-DD) with its label; an emptied field answers undefined. */
export function DateField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="field__input"
        type="date"
        value={value ?? ''}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      />
    </div>
  );
}
