import { Body } from '@leafygreen-ui/typography';

/** A JSON document editor with its live check: valid and what changed, or the first problems. */
export function JsonSpecField({
  name,
  label,
  rows,
  text,
  onChange,
  checked,
  testId,
}: {
  name: string;
  label: string;
  rows: number;
  text: string;
  onChange: (text: string) => void;
  checked: { ok: true; changed: string[] } | { ok: false; problems: string[] };
  testId: string;
}) {
  return (
    <>
      <label className="textarea-field">
        <span className="textarea-field__label">{label}</span>
        <textarea
          name={name}
          className="code-area"
          rows={rows}
          spellCheck={false}
          value={text}
          onChange={(edit) => onChange(edit.target.value)}
          aria-invalid={!checked.ok}
        />
      </label>
      {checked.ok ? (
        <Body data-testid={testId}>
          {checked.changed.length === 0
            ? 'Valid. Nothing changed yet.'
            : `Valid. Changes: ${checked.changed.join(', ')}.`}
        </Body>
      ) : (
        <ul role="alert" className="form-problems" data-testid={testId}>
          {checked.problems.slice(0, 12).map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </>
  );
}
