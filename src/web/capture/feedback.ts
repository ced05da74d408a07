import { useEffect, useRef, useState } from 'react';
import { OUTBOX_LIMIT, type QueueResult } from './offline/outbox.ts';
import { recordTelemetry } from './offline/telemetry.ts';

/** What a save (or another action) says back: a status to announce, or a problem to fix. */
export type Feedback =
  | { kind: 'saved' | 'queued' | 'info'; message: string }
  | { kind: 'error'; detail: string; fields: { label: string; message: string }[] };

export const OUTBOX_FULL_MESSAGE = `This device already holds ${OUTBOX_LIMIT} items waiting to sync, so this one was not saved — your input is still here. Get online (and signed in) so they can sync, then save again.`;
export const STORAGE_MESSAGE =
  "This browser wouldn't let us keep it on the device — your input is still here. Try again; if it keeps failing, free some storage or leave private browsing.";

/** Why a queue* call did not save, in words (null when it did). */
export function queueProblem(result: QueueResult): Feedback | null {
  if (result === 'queued') return null;
  return { kind: 'error', detail: result === 'full' ? OUTBOX_FULL_MESSAGE : STORAGE_MESSAGE, fields: [] };
}

/**
 * The confirmation after a local save. Online and signed in: the sync loop sends it within moments. Otherwise
 * it waits on the device, and the message says for what.
 */
export function savedMessage(online: boolean, sessionEnded: boolean): Feedback {
  if (sessionEnded)
    return { kind: 'queued', message: 'Saved on this device — will sync after you sign in again' };
  if (!online) return { kind: 'queued', message: "Saved on this device — will sync when you're online" };
  return { kind: 'saved', message: 'Saved ✓ — syncing' };
}

export const isOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

/**
 * Feedback state that also measures tap-to-saved: `tapped()` at the Save tap, then the first saved/queued
 * feedback rendered after it records the time (tap_to_saved_ms, mode online|offline).
 */
export function useSaveFeedback() {
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const tap = useRef<{ at: number; mode: 'online' | 'offline' } | null>(null);

  useEffect(() => {
    const started = tap.current;
    if (started === null || feedback === null) return;
    if (feedback.kind === 'saved' || feedback.kind === 'queued') {
      recordTelemetry('tap_to_saved_ms', Math.round(performance.now() - started.at), { mode: started.mode });
    }
    tap.current = null;
  }, [feedback]);

  const tapped = () => {
    tap.current = { at: performance.now(), mode: isOnline() ? 'online' : 'offline' };
  };
  return { feedback, setFeedback, tapped };
}
