import { Option, Select } from '@leafygreen-ui/select';
import { useEffect, useId, useState } from 'react';
import type { TaxonomyEntry } from '../../../contract/taxonomy.ts';

/**
 * The list filters shared by the admin pages (Insights, Events): a fixed-choice select and a text field. Each
 * change is one decision (a select pick, Enter or leaving the field), so a list reloads once per decision.
 */
const ALL = '__all';

interface ChoiceFilterProps {
  label: string;
  choices: readonly TaxonomyEntry[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  disabled?: boolean;
  /** The "no filter" option's label; null for a select that always has a value (a sort). */
  allLabel?: string | null;
  className?: string;
}

export function ChoiceFilter(props: ChoiceFilterProps) {
  const {
    label,
    choices,
    value,
    onChange,
    disabled,
    allLabel = 'All',
    className = 'filters__select',
  } = props;
  return (
    <Select
      label={label}
      size="small"
      allowDeselect={false}
      disabled={disabled}
      value={value ?? ALL}
      onChange={(next: string) => onChange(next === ALL ? undefined : next)}
      className={className}
      dropdownWidthBasis="option"
    >
      {allLabel !== null && <Option value={ALL}>{allLabel}</Option>}
      {choices.map((choice) => (
        <Option key={choice.id} value={choice.id}>
          {choice.label}
        </Option>
      ))}
    </Select>
  );
}

interface TextFilterProps {
  label: string;
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
  maxLength: number;
  placeholder?: string;
  /** CSS classes of the wrapper, the label and the input (each page styles its own filter bar). */
  classes?: { field: string; label: string; input: string };
  type?: 'text' | 'search';
}

const FIELD_CLASSES = { field: 'field', label: 'field__label', input: 'field__input' };

/** A text filter applied on Enter or when the field loses focus: one request per decision, not per key. */
export function TextFilter(props: TextFilterProps) {
  const { label, value, onCommit, maxLength, placeholder, classes = FIELD_CLASSES, type = 'text' } = props;
  const id = useId();
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const commit = () => {
    const next = text.trim() === '' ? undefined : text.trim();
    if (next !== value) onCommit(next);
  };
  return (
    <div className={classes.field}>
      <label className={classes.label} htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={classes.input}
        type={type}
        value={text}
        placeholder={placeholder}
        maxLength={maxLength}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
    </div>
  );
}
