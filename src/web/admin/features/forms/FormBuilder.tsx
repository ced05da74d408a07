import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { TextInput } from '@leafygreen-ui/text-input';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { FeedbackForm } from '../../../../contract/api/forms.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import { ApiError } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate } from '../../nav.ts';
import {
  type FieldErrors,
  type FormDraft,
  fieldTitle,
  serverFieldErrors,
  toCreate,
  toUpdate,
} from './draft.ts';
import { EventPicker } from './EventPicker.tsx';
import { QuestionEditor } from './QuestionEditor.tsx';
import { useCreateForm, useUpdateForm } from './queries.ts';

interface FormBuilderProps {
  initial: FormDraft;
  /** Editing a saved form (its id and the version the edit starts from); creating without. */
  editing?: { id: string; version: number };
  onCancel: () => void;
}

/** The form's texts, event, limits and questions; Save creates it or updates it, then shows it. */
export function FormBuilder({ initial, editing, onCancel }: FormBuilderProps) {
  const [draft, setDraft] = useState<FormDraft>(initial);
  const [checked, setChecked] = useState<FieldErrors>({});
  const create = useCreateForm();
  const update = useUpdateForm();
  const saving = editing === undefined ? create : update;
  const ids = { description: useId(), consent: useId(), closes: useId(), cap: useId() };
  const conflict = saving.error instanceof ApiError && saving.error.status === 409;
  const errors: FieldErrors = { ...serverFieldErrors(saving.error), ...checked };
  const set = (patch: Partial<FormDraft>) => setDraft({ ...draft, ...patch });
  const shown = (form: FeedbackForm) => navigate(`/admin/forms/${form.id}`);
  const client = useQueryClient();
  /** After a conflict: fetch the current version; the edit page keys the builder by version, so it starts over. */
  const reload = () => {
    if (editing !== undefined) void client.invalidateQueries({ queryKey: ['forms', 'one', editing.id] });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    saving.reset();
    if (editing === undefined) {
      const result = toCreate(draft);
      setChecked(result.ok ? {} : result.errors);
      if (result.ok) create.mutate(result.body, { onSuccess: shown });
    } else {
      const result = toUpdate(draft, editing.version);
      setChecked(result.ok ? {} : result.errors);
      if (result.ok) update.mutate({ id: editing.id, body: result.body }, { onSuccess: shown });
    }
  };

  const keys = Object.keys(errors);
  return (
    <form className="forms-builder" onSubmit={submit} noValidate data-testid="form-builder">
      <TextInput
        label="Title"
        description="Shown at the top of the public page; also the title of every insight it creates."
        value={draft.title}
        maxLength={LIMITS.formTitle}
        state={errors.title !== undefined ? 'error' : 'none'}
        errorMessage={errors.title}
        onChange={(change) => set({ title: change.target.value })}
      />
      <TextArea
        id={ids.description}
        label="Description (optional)"
        value={draft.description}
        max={LIMITS.formDescription}
        error={errors.description}
        onChange={(description) => set({ description })}
      />
      <TextArea
        id={ids.consent}
        label="Consent text"
        hint="Attendees accept this before sending: say how their answers are used."
        value={draft.consentText}
        max={LIMITS.formConsent}
        error={errors.consentText}
        onChange={(consentText) => set({ consentText })}
      />
      {editing === undefined && (
        <TextInput
          label="Link name (optional)"
          description="The end of the public link, /f/<link name>. Left empty, it is made from the title."
          value={draft.slug}
          maxLength={LIMITS.formSlug}
          state={errors.slug !== undefined ? 'error' : 'none'}
          errorMessage={errors.slug}
          onChange={(change) => set({ slug: change.target.value.toLowerCase() })}
        />
      )}
      <EventPicker
        event={draft.event}
        sessionId={draft.sessionId}
        eventError={errors.eventId}
        sessionError={errors.sessionId}
        onChange={(chosen, sessionId) => set({ event: chosen, sessionId })}
      />
      <div className="forms-builder__row">
        <div className="forms-field">
          <label className="forms-field__label" htmlFor={ids.closes}>
            Closes at (optional)
          </label>
          <input
            id={ids.closes}
            type="datetime-local"
            className="forms-field__input"
            value={draft.closesAt}
            aria-invalid={errors.closesAt !== undefined ? true : undefined}
            onChange={(change) => set({ closesAt: change.target.value })}
          />
          <span className="muted">Your time zone. After it, the public page stops accepting answers.</span>
          {errors.closesAt !== undefined && <span className="forms-field__error">{errors.closesAt}</span>}
        </div>
        <div className="forms-field">
          <label className="forms-field__label" htmlFor={ids.cap}>
            Response cap (optional)
          </label>
          <input
            id={ids.cap}
            type="number"
            inputMode="numeric"
            min={1}
            max={LIMITS.formResponseCapMax}
            step={1}
            className="forms-field__input"
            value={draft.responseCap}
            aria-invalid={errors.responseCap !== undefined ? true : undefined}
            onChange={(change) => set({ responseCap: change.target.value })}
          />
          <span className="muted">At most {LIMITS.formResponseCapMax.toLocaleString()} responses.</span>
          {errors.responseCap !== undefined && (
            <span className="forms-field__error">{errors.responseCap}</span>
          )}
        </div>
      </div>
      <QuestionEditor
        questions={draft.questions}
        errors={errors}
        onChange={(questions) => set({ questions })}
      />
      {keys.length > 0 && (
        <ul role="alert" className="form-problems" data-testid="form-problems">
          {keys.map((key) => (
            <li key={key}>
              {fieldTitle(key, draft.questions)}: {errors[key]}
            </li>
          ))}
        </ul>
      )}
      {conflict ? (
        <Banner variant="warning" data-testid="form-conflict">
          Someone else changed this form while you edited it; your changes are not saved.{' '}
          <Button size="xsmall" onClick={reload}>
            Reload the form
          </Button>
        </Banner>
      ) : (
        <ProblemNotice error={saving.error} what="Couldn't save the form" />
      )}
      <div className="inline-form__buttons">
        <Button type="submit" variant="primary" disabled={saving.isPending} isLoading={saving.isPending}>
          {editing === undefined ? 'Create form' : 'Save changes'}
        </Button>
        <Button onClick={onCancel} disabled={saving.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function TextArea(props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  max: number;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { id, label, hint, value, max, error, onChange } = props;
  return (
    <div className="forms-field">
      <label className="forms-field__label" htmlFor={id}>
        {label}
      </label>
      {hint !== undefined && <span className="muted">{hint}</span>}
      <textarea
        id={id}
        className="forms-field__input"
        rows={3}
        value={value}
        maxLength={max}
        aria-invalid={error !== undefined ? true : undefined}
        onChange={(change) => onChange(change.target.value)}
      />
      {error !== undefined && <span className="forms-field__error">{error}</span>}
    </div>
  );
}
