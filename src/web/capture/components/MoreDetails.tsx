import { LIMITS } from '../../../contract/limits.ts';
import type { FormFields } from '../lib/form.ts';

interface MoreDetailsProps {
  form: FormFields;
  update: (patch: Partial<FormFields>) => void;
  open: boolean;
  setOpen: (open: boolean) => void;
}

interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  maxLength: number;
  onChange: (value: string) => void;
  hint?: string;
  autoComplete?: string;
}

function TextField({ label, name, value, maxLength, onChange, hint, autoComplete = 'off' }: TextFieldProps) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      {hint !== undefined && <span className="field__hint">{hint}</span>}
      <input
        type="text"
        name={name}
        value={value}
        maxLength={maxLength}
        autoComplete={autoComplete}
        onChange={(change) => onChange(change.target.value)}
      />
    </label>
  );
}

/** The optional fields, folded away so the common capture stays one screen. */
export function MoreDetails({ form, update, open, setOpen }: MoreDetailsProps) {
  return (
    <details
      className="more"
      open={open}
      onToggle={(toggle) => setOpen((toggle.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>More details</summary>
      <div className="more__body">
        <TextField
          label="Title"
          name="title"
          value={form.title}
          maxLength={LIMITS.insightTitle}
          onChange={(title) => update({ title })}
        />
        <TextField
          label="Tags"
          name="tags"
          hint="Separate with commas"
          value={form.tags}
          maxLength={LIMITS.tagsPerInsight * (LIMITS.tag + 2)}
          onChange={(tags) => update({ tags })}
        />
        <TextField
          label="Developer role"
          name="developerRole"
          value={form.developerRole}
          maxLength={LIMITS.developerField}
          onChange={(developerRole) => update({ developerRole })}
        />
        <TextField
          label="Company"
          name="developerCompany"
          value={form.developerCompany}
          maxLength={LIMITS.developerField}
          autoComplete="off"
          onChange={(developerCompany) => update({ developerCompany })}
        />
        <TextField
          label="Experience"
          name="developerExperience"
          hint="e.g. 3 years with MongoDB"
          value={form.developerExperience}
          maxLength={LIMITS.developerField}
          onChange={(developerExperience) => update({ developerExperience })}
        />
        <label className="check">
          <input
            type="checkbox"
            name="followUp"
            checked={form.followUp}
            onChange={(change) => update({ followUp: change.target.checked })}
          />
          <span>Needs follow-up</span>
        </label>
      </div>
    </details>
  );
}
