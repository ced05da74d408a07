import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureConfig, Transcription } from '../../contract/api/capture.ts';
import type { InsightCreate } from '../../contract/api/insights.ts';
import { LIMITS } from '../../contract/limits.ts';
import { ApiError, NetworkError } from '../ui/api.ts';
import { newId } from '../ui/format.ts';
import { captureApi } from './connection.ts';
import {
  type Feedback,
  isOnline,
  queueProblem,
  STORAGE_MESSAGE,
  savedMessage,
  useSaveFeedback,
} from './feedback.ts';
import {
  type CaptureContext,
  EMPTY_FORM,
  type FormFields,
  formFromFields,
  localProblems,
  nextForm,
  sanitizeForm,
  toInsightFields,
} from './lib/form.ts';
import { readCache, writeCache } from './offline/cache.ts';
import { captureDb } from './offline/db.ts';
import { completeDraft, deleteDraft, saveDraft, updateDraftFields } from './offline/drafts.ts';
import { queueInsight } from './offline/outbox.ts';
import type { Draft, NewAttachment, Owner } from './offline/types.ts';
import { loadKept, saveKept } from './storage.ts';
import { type Photos, type StoredPhoto, usePhotos } from './usePhotos.ts';
import { type Recorded, type Recorder, useRecorder } from './useRecorder.ts';

/**
 * The capture in progress (Capture tab): the form, its photos and recording, an opened voice draft, the
 * recorder, and Save. Everything is kept on the device as it changes (text in localStorage, photos and the
 * recording in IndexedDB), so a reload, an app update or a sign-in round trip finds it as it was.
 */

/** How long to wait for a transcript before keeping the recording as a draft instead. */
const TRANSCRIBE_TIMEOUT_MS = 45_000;

export interface CaptureSession {
  form: FormFields;
  update: (patch: Partial<FormFields>) => void;
  photos: Photos;
  /** A recording that was transcribed into the text: it is saved with the insight as an 'audio' attachment. */
  recording: Recorded | null;
  removeRecording: () => void;
  /** The voice draft being completed, if any (its recording is attached on Save). */
  draftId: string | null;
  draft: Draft | null;
  openDraft: (id: string) => Promise<boolean>;
  closeDraft: () => void;
  deleteOpenDraft: () => Promise<void>;
  recorder: Recorder;
  transcribing: boolean;
  saving: boolean;
  feedback: Feedback | null;
  setFeedback: (feedback: Feedback | null) => void;
  save: () => Promise<boolean>;
  /** Write everything kept right now (before an app update reloads the page). */
  persist: () => Promise<void>;
}

interface Kept {
  form: FormFields;
  draftId: string | null;
}

interface KeptMedia {
  photos: StoredPhoto[];
  recording: Recorded | null;
}

function restoreKept(key: string): Kept {
  const raw = loadKept(key) as { form?: unknown; draftId?: unknown } | null;
  return {
    form: sanitizeForm(raw?.form ?? EMPTY_FORM),
    draftId: typeof raw?.draftId === 'string' ? raw.draftId : null,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        window.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        window.clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function draftReason(error: unknown): Draft['reason'] {
  if (error instanceof NetworkError) return 'offline';
  if (error instanceof ApiError && error.status === 503) return 'no_provider';
  return 'transcription_failed';
}

const draftContext = (draft: Draft | null): CaptureContext | null =>
  draft === null || draft.fields.eventId === undefined
    ? null
    : { eventId: draft.fields.eventId ?? null, sessionId: draft.fields.sessionId ?? null };

interface Options {
  owner: Owner;
  context: CaptureContext;
  config: CaptureConfig | null;
  sessionEnded: boolean;
}

export function useCaptureSession({ owner, context, config, sessionEnded }: Options): CaptureSession {
  const formKey = `bi.capture.form.${owner.id}`;
  const mediaKey = `form-media:${owner.id}`;
  const [kept, setKept] = useState<Kept>(() => restoreKept(formKey));
  const [draft, setDraft] = useState<Draft | null>(null);
  const [recording, setRecording] = useState<Recorded | null>(null);
  const [transcribing, setTranscribing] = useState(false);
  const [saving, setSaving] = useState(false);
  const { feedback, setFeedback, tapped } = useSaveFeedback();
  const photos = usePhotos();
  const mediaRestored = useRef(false);
  const busy = useRef(false);
  const keptRef = useRef(kept);
  keptRef.current = kept;

  useEffect(() => saveKept(formKey, kept), [formKey, kept]);

  // Photos and a transcribed recording of the unsaved capture come back from the device once.
  const replacePhotos = photos.replace;
  useEffect(() => {
    let active = true;
    void readCache<KeptMedia | null>(mediaKey).then((stored) => {
      if (!active) return;
      if (stored?.value != null) {
        replacePhotos(stored.value.photos ?? []);
        setRecording(stored.value.recording ?? null);
      }
      mediaRestored.current = true;
    });
    return () => {
      active = false;
    };
  }, [mediaKey, replacePhotos]);

  const keptMedia = useCallback(
    (): KeptMedia => ({ photos: photos.photos.map(({ id, blob }) => ({ id, blob })), recording }),
    [photos.photos, recording],
  );

  useEffect(() => {
    if (mediaRestored.current) void writeCache(mediaKey, keptMedia());
  }, [mediaKey, keptMedia]);

  // The opened draft's details (its recording, where it was recorded); a draft gone meanwhile is let go.
  useEffect(() => {
    const id = kept.draftId;
    if (id === null) {
      setDraft(null);
      return;
    }
    let active = true;
    captureDb()
      .drafts.get(id)
      .then((found) => {
        if (!active) return;
        setDraft(found ?? null);
        if (found === undefined) {
          setKept((current) => (current.draftId === id ? { ...current, draftId: null } : current));
          setFeedback({
            kind: 'info',
            message: 'That draft is no longer on this device (saved or deleted).',
          });
        }
      })
      .catch(() => undefined);
    return () => {
      active = false;
    };
  }, [kept.draftId, setFeedback]);

  // What the person types into a draft is kept in the draft itself, too (it may be finished on another day).
  useEffect(() => {
    if (draft === null || kept.draftId !== draft.id) return;
    const timer = window.setTimeout(() => {
      void updateDraftFields(draft.id, toInsightFields(kept.form, draftContext(draft) ?? context)).catch(
        () => undefined,
      );
    }, 400);
    return () => window.clearTimeout(timer);
  }, [draft, kept, context]);

  const update = useCallback((patch: Partial<FormFields>) => {
    setKept((current) => ({ ...current, form: { ...current.form, ...patch } }));
  }, []);

  const onRecorded = async (recorded: Recorded) => {
    const online = isOnline();
    let reason: Draft['reason'] | null = null;
    if (!online) reason = 'offline';
    else if (config?.transcription.enabled === false) reason = 'no_provider';
    else if (sessionEnded) reason = 'transcription_failed';
    else {
      setTranscribing(true);
      setFeedback({ kind: 'info', message: 'Transcribing your recording…' });
      try {
        const result = await withTimeout(
          captureApi.postBlob<Transcription>('/api/v1/transcriptions', recorded.blob),
          TRANSCRIBE_TIMEOUT_MS,
        );
        const text = result.text.trim();
        if (text === '') reason = 'transcription_failed';
        else {
          setKept((current) => {
            const typed = current.form.text.trimEnd();
            const joined = (typed === '' ? text : `${typed} ${text}`).slice(0, LIMITS.insightText);
            return { ...current, form: { ...current.form, text: joined } };
          });
          setRecording(recorded);
          setFeedback({ kind: 'info', message: 'Transcribed ✓ — check the text, then Save.' });
          return;
        }
      } catch (error) {
        reason = draftReason(error);
      } finally {
        setTranscribing(false);
      }
    }
    const current = keptRef.current;
    try {
      await saveDraft({
        ownerId: owner.id,
        reason,
        audioType: recorded.contentType,
        durationSeconds: recorded.durationSeconds,
        fields: toInsightFields(current.form, context),
        capturedAt: recorded.startedAt,
        audio: recorded.blob,
      });
    } catch {
      // The recording must not be lost: keep it on this capture instead.
      setRecording(recorded);
      setFeedback({ kind: 'error', detail: STORAGE_MESSAGE, fields: [] });
      return;
    }
    setKept({ form: nextForm(current.form), draftId: null });
    const photoNote = photos.photos.length > 0 ? ' Your photos are still attached here.' : '';
    setFeedback({
      kind: 'queued',
      message: `Saved as a draft with your recording — add the text under Drafts.${photoNote}`,
    });
  };

  const recorder = useRecorder(
    (recorded) => void onRecorded(recorded),
    config?.transcription.maxSeconds ?? LIMITS.audioSeconds,
  );

  const openDraft = useCallback(
    async (id: string) => {
      const found = await captureDb()
        .drafts.get(id)
        .catch(() => undefined);
      if (found === undefined) {
        setFeedback({ kind: 'info', message: 'That draft is no longer on this device (saved or deleted).' });
        return false;
      }
      setRecording(null);
      setDraft(found);
      setKept({ form: formFromFields(found.fields), draftId: id });
      setFeedback(null);
      return true;
    },
    [setFeedback],
  );

  const closeDraft = useCallback(() => {
    const { form, draftId } = keptRef.current;
    // The draft keeps what was typed into it (the debounced write may not have run yet).
    if (draft !== null && draft.id === draftId)
      void updateDraftFields(draft.id, toInsightFields(form, draftContext(draft) ?? context)).catch(
        () => undefined,
      );
    setKept({ form: { ...EMPTY_FORM }, draftId: null });
    setFeedback(null);
  }, [draft, context, setFeedback]);

  const deleteOpenDraft = useCallback(async () => {
    const id = keptRef.current.draftId;
    if (id === null) return;
    await deleteDraft(id);
    setKept({ form: { ...EMPTY_FORM }, draftId: null });
    setFeedback({ kind: 'info', message: 'Draft deleted.' });
  }, [setFeedback]);

  const save = async (): Promise<boolean> => {
    if (busy.current) return false;
    const wait = (message: string) => {
      setFeedback({ kind: 'error', detail: message, fields: [] });
      return false;
    };
    if (recorder.state !== 'idle') return wait('Stop the recording first.');
    if (transcribing) return wait('One moment — the recording is being transcribed.');
    if (photos.busy) return wait('One moment — the photo is still being prepared.');
    const fields = toInsightFields(kept.form, draftContext(draft) ?? context);
    const problems = localProblems(fields);
    if (problems.length > 0) return wait(problems.join(' '));
    tapped();
    busy.current = true;
    setSaving(true);
    try {
      const attachments: NewAttachment[] = photos.photos.map((photo) => ({
        kind: 'photo',
        blob: photo.blob,
        contentType: photo.blob.type || 'image/jpeg',
      }));
      const voice = draft !== null || recording !== null;
      const body: InsightCreate = {
        id: newId(),
        ...fields,
        capturedAt: draft?.capturedAt ?? recording?.startedAt ?? new Date().toISOString(),
        source: voice ? 'voice' : 'capture',
      };
      let result: Awaited<ReturnType<typeof queueInsight>>;
      if (draft !== null && kept.draftId === draft.id) {
        result = await completeDraft(draft.id, body, owner, attachments);
      } else {
        if (recording !== null)
          attachments.push({ kind: 'audio', blob: recording.blob, contentType: recording.contentType });
        result = await queueInsight(body, owner, attachments);
      }
      const problem = queueProblem(result);
      if (problem !== null) {
        setFeedback(problem);
        return false;
      }
      setKept({ form: nextForm(kept.form), draftId: null });
      photos.replace([]);
      setRecording(null);
      setFeedback(savedMessage(isOnline(), sessionEnded));
      return true;
    } finally {
      busy.current = false;
      setSaving(false);
    }
  };

  const persist = async () => {
    saveKept(formKey, keptRef.current);
    await writeCache(mediaKey, keptMedia());
  };

  return {
    form: kept.form,
    update,
    photos,
    recording,
    removeRecording: () => setRecording(null),
    draftId: kept.draftId,
    draft,
    openDraft,
    closeDraft,
    deleteOpenDraft,
    recorder,
    transcribing,
    saving,
    feedback,
    setFeedback,
    save,
    persist,
  };
}
