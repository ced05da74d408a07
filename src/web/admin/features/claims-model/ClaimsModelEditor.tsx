import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { TextInput } from '@leafygreen-ui/text-input';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import type { ClaimsModelVersion } from '../../../../contract/api/claims-model.ts';
import { JsonSpecField } from '../../components/JsonSpecField.tsx';
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
        <JsonSpecField
          name="model"
          label="Model (JSON)"
          rows={24}
          text={text}
          onChange={setText}
          checked={checked}
          testId="model-check"
        />
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
