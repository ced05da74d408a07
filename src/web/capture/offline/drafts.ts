import type { InsightCreate } from '../../../contract/api/insights.ts';
import { captureDb } from './db.ts';
import { useLive } from './live.ts';
import { nudgeSync } from './signal.ts';
import { addInsightInTx, type QueueResult } from './store.ts';
import type { AttachmentItem, Draft, NewAttachment, Owner } from './types.ts';

/**
 * Voice captures waiting for their text (no speech-to-text, it failed, or offline): the recording and whatever
 * the form held, on the device until the person completes or deletes the draft.
 */

export type DraftInput = Omit<Draft, 'id' | 'createdAt' | 'updatedAt' | 'audioBlobId'> & { audio: Blob };

/** Save a recording and the form's fields as a draft, in one transaction. */
export async function saveDraft(input: DraftInput): Promise<Draft> {
  const db = captureDb();
  const { audio, ...rest } = input;
  const now = new Date().toISOString();
  const draft: Draft = {
    ...rest,
    id: crypto.randomUUID(),
    audioBlobId: crypto.randomUUID(),
    createdAt: now,
    updatedAt: now,
  };
  await db.transaction('rw', db.drafts, db.blobs, async () => {
    await db.blobs.add({ id: draft.audioBlobId, blob: audio, type: input.audioType, size: audio.size });
    await db.drafts.add(draft);
  });
  return draft;
}

/** This person's drafts, newest first, live. */
export function useDrafts(personId: string): Draft[] {
  return useLive(
    async () =>
      (await captureDb().drafts.where('ownerId').equals(personId).toArray()).sort((a, b) =>
        b.updatedAt.localeCompare(a.updatedAt),
      ),
    personId,
    [],
  );
}

/** Keep what the person typed into a draft (called on every change, so a reload loses nothing). */
export async function updateDraftFields(id: string, fields: Draft['fields']): Promise<void> {
  await captureDb()
    .drafts.where('id')
    .equals(id)
    .modify((draft) => {
      draft.fields = { ...draft.fields, ...fields };
      draft.updatedAt = new Date().toISOString();
    });
}

/** Drop a draft and its recording. */
export async function deleteDraft(id: string): Promise<void> {
  const db = captureDb();
  await db.transaction('rw', db.drafts, db.blobs, async () => {
    const draft = await db.drafts.get(id);
    if (draft === undefined) return;
    await db.drafts.delete(id);
    await db.blobs.delete(draft.audioBlobId);
  });
}

/**
 * Turn a draft into a queued insight, in ONE transaction: the insight, its attachments, the draft's recording
 * as an 'audio' attachment (the same stored bytes, not a copy) and the draft's removal commit together, so the
 * recording is never in neither place nor in both.
 */
export async function completeDraft(
  id: string,
  body: InsightCreate,
  owner: Owner,
  extra: NewAttachment[] = [],
): Promise<QueueResult> {
  const db = captureDb();
  let result: QueueResult;
  try {
    result = await db.transaction('rw', db.outbox, db.blobs, db.drafts, async () => {
      const draft = await db.drafts.get(id);
      if (draft === undefined) return (await db.outbox.get(body.id)) === undefined ? 'unavailable' : 'queued';
      const audio = await db.blobs.get(draft.audioBlobId);
      const attachmentId = crypto.randomUUID();
      const audioRow: AttachmentItem[] =
        audio === undefined
          ? []
          : [
              {
                id: attachmentId,
                kind: 'attachment',
                ownerId: owner.id,
                ownerName: owner.name,
                queuedAt: new Date().toISOString(),
                state: 'pending',
                attempts: 0,
                nextAttemptAt: 0,
                problem: null,
                insightId: body.id,
                attachmentKind: 'audio',
                contentType: draft.audioType,
                byteSize: audio.size,
                blobId: draft.audioBlobId,
              },
            ];
      const added = await addInsightInTx(db, body, owner, extra, audioRow);
      if (added === 'full') return 'full';
      // 'exists': that insight is already queued; its recording joins it rather than being lost with the draft.
      if (added === 'exists' && audioRow.length > 0) await db.outbox.bulkAdd(audioRow);
      await db.drafts.delete(id);
      return 'queued';
    });
  } catch {
    return 'unavailable';
  }
  if (result === 'queued') nudgeSync();
  return result;
}
