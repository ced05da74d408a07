import { type FormEvent, useState } from 'react';
import type { Insight } from '../../../contract/api/insights.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { INSIGHT_TYPES, PRIORITIES, SENTIMENTS } from '../../../contract/taxonomy.ts';
import { ChipGroup } from '../components/ChipGroup.tsx';
import { FormFeedback } from '../components/FormFeedback.tsx';
import { type Feedback, queueProblem } from '../feedback.ts';
import { editChanges, editValues } from '../lib/edits.ts';
import { localProblems, parseTags } from '../lib/form.ts';
import { hrefOf } from '../lib/routes.ts';
import { queueEdit } from '../offline/outbox.ts';
import type { EditItem, Owner } from '../offline/types.ts';
import { replaceRoute } from '../useRoute.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

interface EditInsightProps {
  insight: Insight;
  pendingEdit: EditItem | null;
  owner: Owner;
}

/**
 * Edit one of my insights. The edit is saved on the device with the version it started from and sent by the
 * sync loop; if someone changed the insight meanwhile, the server refuses it and the person chooses (Conflict).
 */
export function EditInsight({ insight, pendingEdit, owner }: EditInsightProps) {
  const shown = editValues(insight, pendingEdit?.changes ?? null);
  const [values, setValues] = useState(shown);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [saving, setSaving] = useState(false);
  const update = (patch: Partial<typeof values>) => setValues((current) => ({ ...current, ...patch }));

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = localProblems({ text: values.text, tags: parseTags(values.tags) });
    if (problems.length > 0) {
      setFeedback({ kind: 'error', detail: problems.join(' '), fields: [] });
      return;
    }
    const changes = editChanges(shown, values);
    if (Object.keys(changes).length === 0) {
      setFeedback({ kind: 'info', message: 'Nothing changed.' });
      return;
    }
    setSaving(true);
    try {
      const problem = queueProblem(await queueEdit(insight, changes, owner));
      if (problem !== null) {
        setFeedback(problem);
        return;
      }
      replaceRoute(hrefOf('impact', insight.id));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <p className="back">
        <a href={hrefOf('impact', insight.id)}>← Insight</a>
      </p>
      <ScreenTitle>Edit insight</ScreenTitle>
      <form className="capture-form" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={saving}>
        <label className="field">
          <span className="field__label">What did the developer say?</span>
          <textarea
            name="text"
            rows={6}
            maxLength={LIMITS.insightText}
            value={values.text}
            onChange={(change) => update({ text: change.target.value })}
          />
        </label>
        <ChipGroup
          legend="Type"
          options={INSIGHT_TYPES}
          selected={[values.type]}
          onToggle={(type) => update({ type })}
        />
        <ChipGroup
          legend="Sentiment"
          options={SENTIMENTS}
          selected={[values.sentiment]}
          onToggle={(sentiment) => update({ sentiment })}
        />
        <ChipGroup
          legend="Priority"
          options={PRIORITIES}
          selected={[values.priority]}
          onToggle={(priority) => update({ priority })}
        />
        <label className="field">
          <span className="field__label">Tags</span>
          <span className="field__hint">Separate with commas</span>
          <input
            type="text"
            name="tags"
            value={values.tags}
            maxLength={LIMITS.tagsPerInsight * (LIMITS.tag + 2)}
            autoComplete="off"
            onChange={(change) => update({ tags: change.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="followUp"
            checked={values.followUp}
            onChange={(change) => update({ followUp: change.target.checked })}
          />
          <span>Needs follow-up</span>
        </label>
        <div className="actions">
          <FormFeedback feedback={feedback} />
          <button type="submit" className="button button--primary" disabled={saving}>
            Save changes
          </button>
        </div>
      </form>
    </>
  );
}
