import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { type FormEvent, useId, useState } from 'react';
import {
  DECISION_LIMITS,
  DECISION_STATUSES,
  type DecisionField,
  STATUS_LABEL,
} from '../../../../contract/api/decisions.ts';
import type { FieldError } from '../../../../contract/problem.ts';
import { ApiError } from '../../../ui/api.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { collectErrors, type Draft, type FieldErrors, validate } from './draft.ts';
import { FIELD_LABEL, Field } from './fields.tsx';
import { useAllDecisions } from './queries.ts';

interface Props {
  initial: Draft;
  /** The decision being edited (left out of its own depends-on choices); null for a new one. */
  selfId: string | null;
  submitLabel: string;
  pending: boolean;
  submit: (draft: Draft) => Promise<void>;
  onCancel: () => void;
  /** Edits only: a 409 — load the newest version and keep the person's changes on top of it. */
  reloadLatest?: (draft: Draft) => Promise<Draft>;
}

type TextKey = 'workstream' | 'title' | 'direction' | 'owner' | 'nextAction';

/** The decision form (new and edit): native controls, each labelled, its error under it. */
export function DecisionForm({
  initial,
  selfId,
  submitLabel,
  pending,
  submit,
  onCancel,
  reloadLatest,
}: Props) {
  const register = useAllDecisions();
  const listId = useId();
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [other, setOther] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [rebased, setRebased] = useState(false);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((old) => ({ ...old, [key]: value }));
    setErrors((old) => {
      if (old[key as DecisionField] === undefined) return old;
      const next = { ...old };
      delete next[key as DecisionField];
      return next;
    });
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setOther([]);
    setRebased(false);
    const problems = validate(draft);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    try {
      await submit(draft);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(error.detail ?? error.title);
      else if (error instanceof ApiError && error.fieldErrors.length > 0) {
        const { fields, other: rest } = collectErrors(error.fieldErrors);
        setErrors(fields);
        setOther(rest);
        if (rest.length > 0) setFailure(error);
      } else setFailure(error);
    }
  };

  const onReload = async () => {
    if (reloadLatest === undefined) return;
    try {
      setDraft(await reloadLatest(draft));
      setConflict(null);
      setRebased(true);
    } catch (error) {
      setFailure(error);
    }
  };

  const text = (key: TextKey, options: { multiline?: boolean; list?: string; hint?: string } = {}) => (
    <Field label={FIELD_LABEL[key]} error={errors[key]} {...(options.hint ? { hint: options.hint } : {})}>
      {(ids) =>
        options.multiline ? (
          <textarea
            {...ids}
            className="dc-input"
            rows={3}
            value={draft[key]}
            maxLength={DECISION_LIMITS[key]}
            onChange={(e) => set(key, e.target.value)}
          />
        ) : (
          <input
            {...ids}
            className="dc-input"
            type="text"
            value={draft[key]}
            maxLength={DECISION_LIMITS[key]}
            list={options.list}
            onChange={(e) => set(key, e.target.value)}
          />
        )
      }
    </Field>
  );

  const choices = (register.data?.items ?? []).filter((d) => d.id !== selfId);
  const errorCount = Object.keys(errors).length + other.length;
  return (
    <form className="dc-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      {conflict !== null && (
        <Banner variant="warning" data-testid="conflict">
          {conflict.replace(/\. Reload.*$/, '')} — reload: the newest version loads and your changes stay on
          top of it.{' '}
          <Button size="xsmall" onClick={() => void onReload()}>
            Reload
          </Button>
        </Banner>
      )}
      {rebased && (
        <Banner variant="info" data-testid="rebased">
          The newest version is loaded with your changes on top. Check it and save again.
        </Banner>
      )}
      {errorCount > 0 && (
        <Banner variant="danger" data-testid="form-errors">
          Check the {errorCount === 1 ? 'field' : `${errorCount} fields`} marked below.
        </Banner>
      )}
      <datalist id={`${listId}-owners`}>
        {(register.data?.owners ?? []).map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <datalist id={`${listId}-workstreams`}>
        {(register.data?.workstreams ?? []).map((w) => (
          <option key={w} value={w} />
        ))}
      </datalist>
      <div className="dc-form__grid">
        {text('title')}
        {text('workstream', { list: `${listId}-workstreams` })}
        {text('owner', { list: `${listId}-owners`, hint: 'A team or a person, as the program names owners' })}
        <Field label={FIELD_LABEL.status} error={errors.status}>
          {(ids) => (
            <select
              {...ids}
              className="dc-input"
              value={draft.status}
              onChange={(e) => set('status', e.target.value as Draft['status'])}
            >
              {DECISION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={FIELD_LABEL.dueDate} error={errors.dueDate}>
          {(ids) => (
            <input
              {...ids}
              className="dc-input"
              type="date"
              value={draft.dueDate}
              onChange={(e) => set('dueDate', e.target.value)}
            />
          )}
        </Field>
      </div>
      {text('direction', { multiline: true, hint: 'Required once the status is Decided' })}
      {text('nextAction', { multiline: true })}
      <fieldset className="dc-deps-picker" aria-describedby={errors.dependsOn ? `${listId}-deps` : undefined}>
        <legend className="dc-field__label">{FIELD_LABEL.dependsOn}</legend>
        {choices.length === 0 && <span className="dc-muted">No other decisions yet.</span>}
        {choices.map((d) => (
          <label key={d.id} className="dc-check">
            <input
              type="checkbox"
              checked={draft.dependsOn.includes(d.id)}
              onChange={(e) =>
                set(
                  'dependsOn',
                  e.target.checked ? [...draft.dependsOn, d.id] : draft.dependsOn.filter((id) => id !== d.id),
                )
              }
            />
            <span>
              {d.ref} · {d.title}
            </span>
          </label>
        ))}
        {errors.dependsOn !== undefined && (
          <span id={`${listId}-deps`} className="dc-field__error">
            {errors.dependsOn}
          </span>
        )}
      </fieldset>
      <ProblemNotice error={failure} what="Couldn't save" />
      <div className="dc-form__actions">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </Button>
        <Button type="button" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
