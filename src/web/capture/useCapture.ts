import { useCallback, useEffect, useRef, useState } from 'react';
import type { Insight, InsightCreate } from '../../contract/api/insights.ts';
import { ApiError, api, errorMessage, isRedirectingToLogin, NetworkError } from '../ui/api.ts';
import { newId } from '../ui/format.ts';
import {
  type Draft,
  EMPTY_DRAFT,
  fieldLabel,
  localProblems,
  restoreDraft,
  toInsightFields,
} from './draft.ts';
import { type CaptureContext, saveDraft } from './storage.ts';
import type { TodayCount } from './useRecent.ts';

export const OFFLINE_MESSAGE = "Couldn't reach the server — your text is still here. Try again.";

export type Feedback =
  | { kind: 'saved'; message: string }
  | { kind: 'error'; detail: string; fields: { label: string; message: string }[] };

interface Attempt {
  key: string;
  id: string;
  capturedAt: string;
}

export interface Capture {
  draft: Draft;
  update: (patch: Partial<Draft>) => void;
  saving: boolean;
  feedback: Feedback | null;
  submit: (context: CaptureContext) => Promise<boolean>;
}

function savedMessage(today: TodayCount | null): string {
  if (today === null || today.count === 0) return 'Saved ✓';
  return `Saved ✓ — ${today.count}${today.more ? '+' : ''} captured today`;
}

/**
 * The capture form's state and its save. A retry of the same content reuses the same client-generated id, so a
 * save whose answer was lost is stored once, however often the advocate taps again.
 */
export function useCapture(afterSave: () => Promise<TodayCount | null>): Capture {
  const [draft, setDraft] = useState<Draft>(restoreDraft);
  const [saving, setSaving] = useState(false);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const attempt = useRef<Attempt | null>(null);
  const inFlight = useRef(false);
  const saves = useRef(0);

  useEffect(() => {
    saveDraft(draft.text === '' && draft.title === '' ? null : draft);
  }, [draft]);

  const update = useCallback((patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
  }, []);

  const submit = useCallback(
    async (context: CaptureContext) => {
      if (inFlight.current) return false;
      const fields = toInsightFields(draft, context);
      const problems = localProblems(fields);
      if (problems.length > 0) {
        setFeedback({ kind: 'error', detail: problems.join(' '), fields: [] });
        return false;
      }
      const key = JSON.stringify(fields);
      if (attempt.current?.key !== key) {
        attempt.current = { key, id: newId(), capturedAt: new Date().toISOString() };
      }
      const body: InsightCreate = {
        id: attempt.current.id,
        ...fields,
        capturedAt: attempt.current.capturedAt,
      };
      inFlight.current = true;
      setSaving(true);
      setFeedback(null);
      try {
        await api.post<Insight>('/api/v1/insights', body);
        attempt.current = null;
        setDraft(EMPTY_DRAFT);
        setFeedback({ kind: 'saved', message: savedMessage(null) });
        const saveNumber = ++saves.current;
        void afterSave()
          .then((today) => {
            if (today === null || saves.current !== saveNumber) return;
            setFeedback((current) =>
              current?.kind === 'saved' ? { kind: 'saved', message: savedMessage(today) } : current,
            );
          })
          .catch(() => undefined);
        return true;
      } catch (error) {
        if (error instanceof NetworkError) {
          setFeedback({ kind: 'error', detail: OFFLINE_MESSAGE, fields: [] });
        } else if (error instanceof ApiError) {
          if (!isRedirectingToLogin()) {
            setFeedback({
              kind: 'error',
              detail: error.detail ?? error.title,
              fields: error.fieldErrors.map((item) => ({
                label: fieldLabel(item.field),
                message: item.message,
              })),
            });
          }
        } else {
          setFeedback({ kind: 'error', detail: errorMessage(error), fields: [] });
        }
        return false;
      } finally {
        inFlight.current = false;
        setSaving(false);
      }
    },
    [draft, afterSave],
  );

  return { draft, update, saving, feedback, submit };
}
