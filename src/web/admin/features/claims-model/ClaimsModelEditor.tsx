import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { TextInput } from '@leafygreen-ui/text-input';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import type { ClaimsModelVersion } from '../../../../contract/api/claims-model.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { checkModel, loadDraft, saveDraft } from './modelDraft.ts';
import { useChangeClaimsModel } from './queries.ts';

const REASON_MIN = 5;
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** The active model as JSON: edit, see it validated and what changed, give a reason, make it the new version. */
interface ClaimsModelEditorProps {
  active: ClaimsModelVersion;
  /** The new version is active: the page shows it (this editor starts again from it). */
  onSaved: (version: number) => void;
}

export function ClaimsModelEditor({ active, onSaved }: ClaimsModelEditorProps) {
  const stored = loadDraft(active.version);
  const [text, setText] = useState(stored?.text ?? pretty(active.model));
  const [reason, setReason] = useState(stored?.reason ?? '');
  const change = useChangeClaimsModel();
  const reasonId = useId();
  const checked = useMemo(() => checkModel(text, active.model), [text, active.model]);
  const dirty = text !== pretty(active.model) || reason !== '';

  useEffect(() => {
    saveDraft(dirty ? { baseVersion: active.version, text, reason } : null);
  }, [dirty, active.version, text, reason]);

  const ready = checked.ok && checked.changed.length > 0 && reason.trim().length >= REASON_MIN;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready || !checked.ok) return;
    change.mutate(
      { model: checked.model, reason: reason.trim() },
      {
        onSuccess: (version) => {
          saveDraft(null);
          onSaved(version.version);
        },
      },
    );
  };

  return (
    <Card className="profile-card">
      <H2 className="section-title">Change the active model (version {active.version})</H2>
      <Body>
        Saving makes a new version active at once for every sign-in and request; another admin then approves
        it. The issuer and audience are fixed by the deployment.
      </Body>
      <form className="model-form" onSubmit={submit} noValidate>
        <label className="textarea-field">
          <span className="textarea-field__label">Model (JSON)</span>
          <textarea
            name="model"
            className="code-area"
            rows={24}
            spellCheck={false}
            value={text}
            onChange={(edit) => setText(edit.target.value)}
            aria-invalid={!checked.ok}
          />
        </label>
        {checked.ok ? (
          <Body data-testid="model-check">
            {checked.changed.length === 0
              ? 'Valid. Nothing changed yet.'
              : `Valid. Changes: ${checked.changed.join(', ')}.`}
          </Body>
        ) : (
          <ul role="alert" className="form-problems" data-testid="model-check">
            {checked.problems.slice(0, 12).map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        <TextInput
          id={reasonId}
          label="Reason for the change"
          description={`Recorded with the version and in the audit log (at least ${REASON_MIN} characters)`}
          value={reason}
          maxLength={500}
          onChange={(edit) => setReason(edit.target.value)}
        />
        <ProblemNotice error={change.error} what="Couldn't change the model" />
        <div className="inline-form__buttons">
          <Button
            type="submit"
            variant="primary"
            disabled={!ready || change.isPending}
            isLoading={change.isPending}
          >
            Save as new version
          </Button>
          <Button
            onClick={() => {
              setText(pretty(active.model));
              setReason('');
              change.reset();
            }}
            disabled={!dirty || change.isPending}
          >
            Discard changes
          </Button>
        </div>
      </form>
    </Card>
  );
}
