import { useCallback, useEffect, useRef, useState } from 'react';
import type { Insight, InsightCreate } from '../../contract/api/insights.ts';
import { ApiError, errorMessage, NetworkError } from '../ui/api.ts';
import { newId } from '../ui/format.ts';
import { captureApi, isSessionEnded } from './connection.ts';
import {
  type Draft,
  EMPTY_DRAFT,
  fieldLabel,
  localProblems,
  restoreDraft,
  toInsightFields,
} from './draft.ts';
import * as outbox from './outbox.ts';
import { type CaptureContext, saveDraft } from './storage.ts';
import type { TodayCount } from './useRecent.ts';

export const QUEUED_MESSAGE = 'Saved on this device — will sync';
export const OUTBOX_FULL_MESSAGE = `This device already holds ${outbox.OUTBOX_LIMIT} insights waiting to sync, so this one was not saved — your text is still here. Sign in or get online so they can sync, then save again.`;
export const STORAGE_MESSAGE =
  "Couldn't reach the server, and this browser won't let us keep the insight on the device — your text is still here. Try again.";

/** Answers that mean "not now" rather than "no": the insight waits in the outbox (the server is idempotent). */
const QUEUE_STATUSES = new Set([401, 502, 503, 504]);

export type Feedback =
  | { kind: 'saved' | 'queued'; message: string }
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

interface CaptureOptions {
  owner: { id: string; name: string };
  afterSave: () => Promise<TodayCount | null>;
  /** An insight went into the outbox: start sending it. */
  onQueued: () => void;
}

/**
 * The capture form's state and its save. A retry of the same content reuses the same client-generated id, so a
 * save whose answer was lost is stored once, however often the advocate taps again. When the server cannot be
 * reached or the session has ended, the insight goes into the outbox (outbox.ts) and the form is free for the
 * next one; while older insights wait there, new ones queue behind them so they reach the server in order.
 */
export function useCapture({ owner, afterSave, onQueued }: CaptureOptions): Capture {
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
      const queue = (): boolean => {
        const result = outbox.enqueue(body, owner);
        if (result !== 'queued') {
          const detail = result === 'full' ? OUTBOX_FULL_MESSAGE : STORAGE_MESSAGE;
          setFeedback({ kind: 'error', detail, fields: [] });
          return false;
        }
        attempt.current = null;
        setDraft(EMPTY_DRAFT);
        setFeedback({ kind: 'queued', message: QUEUED_MESSAGE });
        onQueued();
        return true;
      };
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      if (offline || isSessionEnded() || outbox.pendingOf(owner.id).length > 0) return queue();

      inFlight.current = true;
      setSaving(true);
      setFeedback(null);
      try {
        await captureApi.post<Insight>('/api/v1/insights', body);
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
        if (
          error instanceof NetworkError ||
          (error instanceof ApiError && QUEUE_STATUSES.has(error.status))
        ) {
          return queue();
        }
        if (error instanceof ApiError) {
          setFeedback({
            kind: 'error',
            detail: error.detail ?? error.title,
            fields: error.fieldErrors.map((item) => ({
              label: fieldLabel(item.field),
              message: item.message,
            })),
          });
        } else {
          setFeedback({ kind: 'error', detail: errorMessage(error), fields: [] });
        }
        return false;
      } finally {
        inFlight.current = false;
        setSaving(false);
      }
    },
    [draft, afterSave, owner, onQueued],
  );

  return { draft, update, saving, feedback, submit };
}
