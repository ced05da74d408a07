import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { LIMITS } from '../../../contract/limits.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../../contract/taxonomy.ts';
import type { CaptureSession } from '../useCaptureSession.ts';
import { ChipGroup } from './ChipGroup.tsx';
import { FormFeedback } from './FormFeedback.tsx';
import { MoreDetails } from './MoreDetails.tsx';
import { PhotoPanel } from './PhotoPanel.tsx';
import { VoicePanel } from './VoicePanel.tsx';

/** Text (typed or dictated), four chip rows with defaults, optional details, voice and photos, one Save. */
export function CaptureForm({ session }: { session: CaptureSession }) {
  const { form, update, saving, feedback } = session;
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [moreOpen, setMoreOpen] = useState(false);

  const save = async () => {
    const saved = await session.save();
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

  const toggleArea = (id: (typeof form.productAreas)[number]) => {
    const areas = form.productAreas.includes(id)
      ? form.productAreas.filter((area) => area !== id)
      : [...form.productAreas, id];
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
          value={form.text}
          placeholder="“Setting up vector search indexes took us a week…”"
          onChange={(change) => update({ text: change.target.value })}
          onKeyDown={onTextKeyDown}
        />
        <span className="field__counter" aria-live="off">
          {form.text.length} / {LIMITS.insightText}
        </span>
      </label>

      <div className="media-row">
        <VoicePanel session={session} />
        <PhotoPanel photos={session.photos} />
      </div>

      <ChipGroup
        legend="Type"
        options={INSIGHT_TYPES}
        selected={[form.type]}
        onToggle={(type) => update({ type })}
      />
      <ChipGroup
        legend="Sentiment"
        options={SENTIMENTS}
        selected={[form.sentiment]}
        onToggle={(sentiment) => update({ sentiment })}
      />
      <ChipGroup
        legend="Priority"
        options={PRIORITIES}
        selected={[form.priority]}
        onToggle={(priority) => update({ priority })}
      />

      <ChipGroup
        legend="Product areas"
        hint={`optional, up to ${LIMITS.productAreasPerInsight}`}
        options={PRODUCT_AREAS}
        selected={form.productAreas}
        onToggle={toggleArea}
        maxSelected={LIMITS.productAreasPerInsight}
      />

      <MoreDetails form={form} update={update} open={moreOpen} setOpen={setMoreOpen} />

      <div className="actions">
        <FormFeedback feedback={feedback} />
        <button type="submit" className="button button--primary" disabled={saving}>
          Save insight
        </button>
      </div>
    </form>
  );
}
