import type { BugReportCreate } from '../../../contract/api/bug-reports.ts';
import type { Insight, InsightCreate, InsightUpdate } from '../../../contract/api/insights.ts';
import { type CaptureDb, captureDb } from './db.ts';
import { nudgeSync } from './signal.ts';
import type {
  AttachmentItem,
  BugItem,
  ConflictChoice,
  EditItem,
  InsightItem,
  NewAttachment,
  OutboxItem,
  Owner,
} from './types.ts';

/**
 * The outbox as data: every write is one IndexedDB transaction, so an item and its attachments and their bytes
 * are saved together or not at all. No React and no `window` here: the service worker drains the same rows.
 */

/** More than a very long conference day; beyond it the form keeps the text and says why. */
export const OUTBOX_LIMIT = 500;

/** queued: saved on the device; full: OUTBOX_LIMIT reached; unavailable: the device storage refused. */
export type QueueResult = 'queued' | 'full' | 'unavailable';

const nowIso = () => new Date().toISOString();

function base(id: string, owner: Owner) {
  return {
    id,
    ownerId: owner.id,
    ownerName: owner.name,
    queuedAt: nowIso(),
    state: 'pending' as const,
    attempts: 0,
    nextAttemptAt: 0,
    problem: null,
  };
}

/** Change some fields of one row (typed per kind by the caller; Dexie's update() can't type a union). */
export async function patchItem<T extends OutboxItem>(
  db: CaptureDb,
  id: string,
  changes: Partial<T>,
): Promise<void> {
  await db.outbox
    .where('id')
    .equals(id)
    .modify((item) => {
      Object.assign(item, changes);
    });
}

/** Items counted against the limit: what the person made (attachments travel with their insight). */
async function countTowardsLimit(db: CaptureDb): Promise<number> {
  return db.outbox.where('kind').anyOf('insight', 'edit', 'bug').count();
}

/** The rows for an insight's attachments plus their bytes, to be written in the caller's transaction. */
export function attachmentRows(insightId: string, owner: Owner, attachments: NewAttachment[]) {
  return attachments.map((attachment) => {
    const id = crypto.randomUUID();
    const item: AttachmentItem = {
      ...base(id, owner),
      kind: 'attachment',
      insightId,
      attachmentKind: attachment.kind,
      contentType: attachment.contentType,
      byteSize: attachment.blob.size,
      blobId: id,
    };
    const blob = { id, blob: attachment.blob, type: attachment.contentType, size: attachment.blob.size };
    return { item, blob };
  });
}

/**
 * Inside an open rw transaction on outbox+blobs: add the insight row and its attachments, unless that id is
 * already queued (a double tap, a retried save): then nothing changes and the answer is still 'queued'.
 */
export async function addInsightInTx(
  db: CaptureDb,
  body: InsightCreate,
  owner: Owner,
  attachments: NewAttachment[],
  storedAttachments: AttachmentItem[] = [],
): Promise<'queued' | 'full' | 'exists'> {
  if ((await db.outbox.get(body.id)) !== undefined) return 'exists';
  if ((await countTowardsLimit(db)) >= OUTBOX_LIMIT) return 'full';
  const item: InsightItem = { ...base(body.id, owner), kind: 'insight', body };
  await db.outbox.add(item);
  const rows = attachmentRows(body.id, owner, attachments);
  if (rows.length > 0) {
    await db.blobs.bulkAdd(rows.map((row) => row.blob));
    await db.outbox.bulkAdd(rows.map((row) => row.item));
  }
  if (storedAttachments.length > 0) await db.outbox.bulkAdd(storedAttachments);
  return 'queued';
}

async function guarded(write: () => Promise<QueueResult>): Promise<QueueResult> {
  let result: QueueResult;
  try {
    result = await write();
  } catch {
    // Quota exceeded, private mode without IndexedDB, a closed database: the caller keeps the input on screen.
    return 'unavailable';
  }
  if (result === 'queued') nudgeSync();
  return result;
}

/** Save a capture (and its photos/recordings) on the device; the sync loop sends it when it can. */
export function queueInsight(
  body: InsightCreate,
  owner: Owner,
  attachments: NewAttachment[] = [],
): Promise<QueueResult> {
  const db = captureDb();
  return guarded(() =>
    db.transaction('rw', db.outbox, db.blobs, async () => {
      const result = await addInsightInTx(db, body, owner, attachments);
      return result === 'exists' ? 'queued' : result;
    }),
  );
}

/**
 * Fix a capture still on the device (one the server refused, or not sent yet) and send it again. The id stays,
 * so the server still sees one insight. Does nothing when the capture has left the device already.
 */
export async function editQueuedInsight(body: InsightCreate): Promise<void> {
  const db = captureDb();
  const updated = await db.outbox
    .where('id')
    .equals(body.id)
    .modify((item) => {
      if (item.kind !== 'insight') return;
      Object.assign(item, { body, state: 'pending', problem: null, attempts: 0, nextAttemptAt: 0 });
    });
  if (updated > 0) nudgeSync();
}

/**
 * Save an edit of an insight already on the server. It carries the version the person started from; a second
 * edit while the first is still on the device merges into it (same base version, later changes win).
 */
export function queueEdit(
  baseInsight: Insight,
  changes: Omit<InsightUpdate, 'version'>,
  owner: Owner,
): Promise<QueueResult> {
  const db = captureDb();
  return guarded(() =>
    db.transaction('rw', db.outbox, async () => {
      const existing = (await db.outbox.where('insightId').equals(baseInsight.id).toArray()).find(
        (item): item is EditItem => item.kind === 'edit' && item.ownerId === owner.id,
      );
      if (existing !== undefined) {
        const merged: Partial<EditItem> = {
          changes: { ...existing.changes, ...changes },
          // A refused edit the person changes again is worth another try; a conflict still needs their choice.
          ...(existing.state === 'attention' ? { state: 'pending', problem: null, attempts: 0 } : {}),
          nextAttemptAt: 0,
        };
        await patchItem(db, existing.id, merged);
        return 'queued';
      }
      if ((await countTowardsLimit(db)) >= OUTBOX_LIMIT) return 'full';
      const item: EditItem = {
        ...base(crypto.randomUUID(), owner),
        kind: 'edit',
        insightId: baseInsight.id,
        base: baseInsight,
        changes,
        current: null,
      };
      await db.outbox.add(item);
      return 'queued';
    }),
  );
}

/** Save a bug report (and its screenshot) on the device; sent with the outbox like a capture. */
export function queueBug(
  report: Omit<BugReportCreate, 'screenshot'>,
  owner: Owner,
  screenshot?: Blob,
): Promise<QueueResult> {
  const db = captureDb();
  return guarded(() =>
    db.transaction('rw', db.outbox, db.blobs, async () => {
      if ((await db.outbox.get(report.id)) !== undefined) return 'queued';
      if ((await countTowardsLimit(db)) >= OUTBOX_LIMIT) return 'full';
      const blobId = screenshot === undefined ? null : crypto.randomUUID();
      if (screenshot !== undefined && blobId !== null) {
        await db.blobs.add({ id: blobId, blob: screenshot, type: screenshot.type, size: screenshot.size });
      }
      const item: BugItem = {
        ...base(report.id, owner),
        kind: 'bug',
        report,
        screenshotBlobId: blobId,
        screenshotType: screenshot === undefined ? null : screenshot.type,
      };
      await db.outbox.add(item);
      return 'queued';
    }),
  );
}

/** Send this item again now: clears its problem and backoff. A conflict needs resolveConflict instead. */
export async function retry(id: string): Promise<void> {
  const db = captureDb();
  await db.outbox
    .where('id')
    .equals(id)
    .modify((item) => {
      if (item.state === 'conflict') return;
      Object.assign(item, { state: 'pending', problem: null, attempts: 0, nextAttemptAt: 0 });
    });
  nudgeSync();
}

/** Blob ids an item owns (deleted with it). */
function blobIdsOf(item: OutboxItem): string[] {
  if (item.kind === 'attachment') return [item.blobId];
  if (item.kind === 'bug' && item.screenshotBlobId !== null) return [item.screenshotBlobId];
  return [];
}

/** Remove rows and the bytes only they refer to, inside an open rw transaction on outbox+blobs. */
export async function deleteItemsInTx(db: CaptureDb, items: OutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  await db.outbox.bulkDelete(items.map((item) => item.id));
  const blobIds = items.flatMap(blobIdsOf);
  if (blobIds.length > 0) await db.blobs.bulkDelete(blobIds);
}

/** The person gives up on an item: it leaves the device (an insight takes its photos and recordings along). */
export async function discard(id: string): Promise<void> {
  const db = captureDb();
  await db.transaction('rw', db.outbox, db.blobs, async () => {
    const item = await db.outbox.get(id);
    if (item === undefined) return;
    const attached =
      item.kind === 'insight'
        ? (await db.outbox.where('insightId').equals(id).toArray()).filter((row) => row.kind === 'attachment')
        : [];
    await deleteItemsInTx(db, [item, ...attached]);
  });
}

/**
 * The person's answer to an edit that met a newer version: keep mine (resend my changes over the current
 * version), take theirs (drop my edit), or a merged text (sent with my other changes over the current version).
 */
export async function resolveConflict(id: string, choice: ConflictChoice): Promise<void> {
  const db = captureDb();
  await db.transaction('rw', db.outbox, async () => {
    const item = await db.outbox.get(id);
    if (item === undefined || item.kind !== 'edit' || item.current === null) return;
    if (choice.keep === 'theirs') {
      await db.outbox.delete(id);
      return;
    }
    const changes = choice.keep === 'merged' ? { ...item.changes, text: choice.text } : item.changes;
    await patchItem(db, id, {
      base: item.current,
      changes,
      current: null,
      state: 'pending',
      problem: null,
      attempts: 0,
      nextAttemptAt: 0,
    });
  });
  nudgeSync();
}

/** The bytes of a queued photo, recording, screenshot or draft recording. */
export async function getBlob(id: string): Promise<Blob | undefined> {
  return (await captureDb().blobs.get(id))?.blob;
}
