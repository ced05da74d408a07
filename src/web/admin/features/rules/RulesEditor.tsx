import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { TextInput } from '@leafygreen-ui/text-input';
import { Body, H2 } from '@leafygreen-ui/typography';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import type { RulePreview, RuleSetOverview, RuleSetProposed } from '../../../../contract/api/access.ts';
import { JsonSpecField } from '../../components/JsonSpecField.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { PreviewResult } from './PreviewResult.tsx';
import { usePreviewRules, useProposeRules } from './queries.ts';
import { checkRules, loadRulesDraft, saveRulesDraft } from './ruleDraft.ts';

const REASON_MIN = 5;
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

interface RulesEditorProps {
  overview: RuleSetOverview;
  onProposed: (proposed: RuleSetProposed) => void;
}

/** The active rules as JSON: edit (validated as you type), preview who gains and loses what, then propose. */
export function RulesEditor({ overview, onProposed }: RulesEditorProps) {
  const { active, pending, approvalPolicy } = overview;
  const [stored] = useState(() => loadRulesDraft(active.version));
  const [text, setText] = useState(stored?.text ?? pretty(active.spec));
  const [reason, setReason] = useState(stored?.reason ?? '');
  const [preview, setPreview] = useState<RulePreview | null>(stored?.preview ?? null);
  const [previewedText, setPreviewedText] = useState<string | null>(stored?.previewedText ?? null);
  const previewing = usePreviewRules();
  const propose = useProposeRules();
  const reasonId = useId();
  const checked = useMemo(() => checkRules(text, active.spec), [text, active.spec]);
  const dirty = text !== pretty(active.spec) || reason !== '';
  const fresh = preview !== null && previewedText === text;

  useEffect(() => {
    // A preview is kept only while it matches the text: a stale one would have to be redone anyway.
    const keep = preview !== null && previewedText === text;
    saveRulesDraft(
      dirty
        ? {
            baseVersion: active.version,
            text,
            reason,
            preview: keep ? preview : null,
            previewedText: keep ? previewedText : null,
          }
        : null,
    );
  }, [dirty, active.version, text, reason, preview, previewedText]);

  const changed = checked.ok && checked.changed.length > 0;
  const ready = changed && fresh && preview.blockers.length === 0 && reason.trim().length >= REASON_MIN;

  const runPreview = () => {
    if (!checked.ok) return;
    const previewed = text;
    previewing.mutate(checked.spec, {
      onSuccess: (result) => {
        setPreview(result);
        setPreviewedText(previewed);
      },
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready || !checked.ok) return;
    propose.mutate(
      { spec: checked.spec, reason: reason.trim() },
      {
        onSuccess: (proposed) => {
          saveRulesDraft(null);
          onProposed(proposed);
        },
      },
    );
  };

  const discard = () => {
    setText(pretty(active.spec));
    setReason('');
    setPreview(null);
    setPreviewedText(null);
    previewing.reset();
    propose.reset();
  };

  return (
    <Card className="profile-card">
      <H2 className="section-title">Change the rules (based on version {active.version})</H2>
      <Body>
        Edit the JSON, preview who gains and who loses what, give a reason, then propose.{' '}
        {approvalPolicy === 'second_admin'
          ? 'Another admin approves the proposal before it takes effect.'
          : 'The proposal takes effect at once (ENTITLEMENT_RULES_APPROVAL=single_admin).'}
        {pending !== null && ` Proposing withdraws the pending version ${pending.version}.`}
      </Body>
      <form className="model-form" onSubmit={submit} noValidate>
        <JsonSpecField
          name="rules"
          label="Rule set (JSON)"
          rows={22}
          text={text}
          onChange={setText}
          checked={checked}
          testId="rules-check"
        />
        <div className="inline-form__buttons">
          <Button
            onClick={runPreview}
            disabled={!changed || previewing.isPending}
            isLoading={previewing.isPending}
          >
            Preview
          </Button>
        </div>
        <ProblemNotice error={previewing.error} what="Couldn't preview" />
        {preview !== null && !fresh && (
          <Body className="muted" role="status">
            The JSON changed since this preview: preview again before proposing.
          </Body>
        )}
        {preview !== null && <PreviewResult preview={preview} />}
        <TextInput
          id={reasonId}
          label="Reason for the change"
          description={`Recorded with the version and in the audit log (at least ${REASON_MIN} characters)`}
          value={reason}
          maxLength={500}
          onChange={(edit) => setReason(edit.target.value)}
        />
        <ProblemNotice error={propose.error} what="Couldn't propose" />
        <div className="inline-form__buttons">
          <Button
            type="submit"
            variant="primary"
            disabled={!ready || propose.isPending}
            isLoading={propose.isPending}
          >
            Propose
          </Button>
          <Button onClick={discard} disabled={!dirty || propose.isPending}>
            Discard changes
          </Button>
          {!ready && changed && (
            <span className="muted">
              {!fresh
                ? 'Preview the change first.'
                : preview.blockers.length > 0
                  ? 'Resolve the blockers first.'
                  : `Give a reason (at least ${REASON_MIN} characters).`}
            </span>
          )}
        </div>
      </form>
    </Card>
  );
}
