import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../../contract/taxonomy.ts';
import type { CaptureContext } from '../storage.ts';
import type { Capture } from '../useCapture.ts';
import { ChipGroup } from './ChipGroup.tsx';
import { FormFeedback } from './FormFeedback.tsx';
import { MoreDetails } from './MoreDetails.tsx';

interface CaptureFormProps {
  capture: Capture;
  context: CaptureContext;
}

/** Text, three single-choice chip rows, optional areas and details, one button. */
export function CaptureForm({ capture, context }: CaptureFormProps) {
  const { draft, update, saving, feedback, submit } = capture;
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [moreOpen, setMoreOpen] = useState(false);

  const save = async () => {
    const saved = await submit(context);
    if (saved) textRef.current?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void save();
  };

  const onTextKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void save();
    }
  };

  const toggleArea = (id: (typeof draft.productAreas)[number]) => {
    const areas = draft.productAreas.includes(id)
      ? draft.productAreas.filter((area) => area !== id)
      : [...draft.productAreas, id];
    update({ productAreas: areas });
  };

  return (
    <form className="capture-form" onSubmit={onSubmit} noValidate aria-busy={saving}>
      <label className="field">
        <span className="field__label">What did the developer say?</span>
        <textarea
          ref={textRef}
          name="text"
          rows={5}
          maxLength={LIMITS.insightText}
          value={draft.text}
          // Opening the app means "capture now": the keyboard should be up at once.
          // biome-ignore lint/a11y/noAutofocus: the whole screen exists to type this one field
          autoFocus
          placeholder="“Setting up vector search indexes took us a week…”"
          onChange={(change) => update({ text: change.target.value })}
          onKeyDown={onTextKeyDown}
        />
        <span className="field__counter" aria-live="off">
          {draft.text.length} / {LIMITS.insightText}
        </span>
      </label>

      <ChipGroup
        legend="Type"
        options={INSIGHT_TYPES}
        selected={[draft.type]}
        onToggle={(type) => update({ type })}
      />
      <ChipGroup
        legend="Sentiment"
        options={SENTIMENTS}
        selected={[draft.sentiment]}
        onToggle={(sentiment) => update({ sentiment })}
      />
      <ChipGroup
        legend="Priority"
        options={PRIORITIES}
        selected={[draft.priority]}
        onToggle={(priority) => update({ priority })}
      />
      <ChipGroup
        legend="Product areas"
        hint={`optional, up to ${LIMITS.productAreasPerInsight}`}
        options={PRODUCT_AREAS}
        selected={draft.productAreas}
        onToggle={toggleArea}
        maxSelected={LIMITS.productAreasPerInsight}
      />

      <MoreDetails draft={draft} update={update} open={moreOpen} setOpen={setMoreOpen} />

      <div className="actions">
        <FormFeedback feedback={feedback} />
        <button type="submit" className="button button--primary" disabled={saving}>
          Save insight
        </button>
      </div>
    </form>
  );
}
