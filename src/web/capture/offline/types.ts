import type { BugReportCreate } from '../../../contract/api/bug-reports.ts';
import type { AttachmentKind } from '../../../contract/api/capture.ts';
import type { Insight, InsightCreate, InsightUpdate } from '../../../contract/api/insights.ts';
import type { TelemetryKind } from '../../../contract/api/telemetry.ts';

/**
 * The capture app's device storage (IndexedDB through Dexie) and the outbox that drains it. Everything the
 * person creates is saved here first, under a client-generated UUID, and leaves only when the server confirms
 * it (or the person discards it). These are the shapes shared by the storage layer (offline/) and the screens.
 */

export interface Owner {
  id: string;
  name: string;
}

/** Why the server refused an item (validation, id conflict): shown to the person, kept until they act. */
export interface OutboxProblem {
  status: number;
  detail: string;
  fields: { field: string; message: string }[];
}

/** pending: will be sent; attention: refused, needs the person; conflict: an edit met a newer version. */
export type OutboxState = 'pending' | 'attention' | 'conflict';

export type OutboxKind = 'insight' | 'edit' | 'attachment' | 'bug';

interface OutboxBase {
  /** The client id of what is sent (insight id, edit id, attachment id, bug report id). */
  id: string;
  kind: OutboxKind;
  ownerId: string;
  ownerName: string;
  /** ISO time it was saved on the device; the queue is sent oldest first. */
  queuedAt: string;
  state: OutboxState;
  attempts: number;
  /** Epoch ms before which the sync loop leaves it alone (exponential backoff with jitter). */
  nextAttemptAt: number;
  problem: OutboxProblem | null;
}

export interface InsightItem extends OutboxBase {
  kind: 'insight';
  body: InsightCreate;
}

/** An edit of an insight already on the server, from the version it started at. */
export interface EditItem extends OutboxBase {
  kind: 'edit';
  insightId: string;
  /** The insight as the person saw it when they started editing (for merge). */
  base: Insight;
  changes: Omit<InsightUpdate, 'version'>;
  /** Set on 409: the stored insight as it is now. */
  current: Insight | null;
}

/** A photo or recording of an insight; sent only after its insight is on the server. */
export interface AttachmentItem extends OutboxBase {
  kind: 'attachment';
  insightId: string;
  attachmentKind: AttachmentKind;
  contentType: string;
  byteSize: number;
  /** Key of the bytes in the blobs table. */
  blobId: string;
}

export interface BugItem extends OutboxBase {
  kind: 'bug';
  /** The report without its screenshot; the screenshot bytes (if any) are in the blobs table. */
  report: Omit<BugReportCreate, 'screenshot'>;
  screenshotBlobId: string | null;
  screenshotType: string | null;
}

export type OutboxItem = InsightItem | EditItem | AttachmentItem | BugItem;

/** A photo or recording picked/recorded with a capture, before it is queued. */
export interface NewAttachment {
  kind: AttachmentKind;
  blob: Blob;
  contentType: string;
}

/**
 * A capture that could not become an insight yet: a voice recording without a transcript (no provider,
 * provider failed, offline). Reviewable under Drafts; opening it fills the form with its fields and audio.
 */
export interface Draft {
  id: string;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
  reason: 'no_provider' | 'transcription_failed' | 'offline';
  /** Key of the recording in the blobs table. */
  audioBlobId: string;
  audioType: string;
  durationSeconds: number;
  /** Whatever the form held when the draft was made (type, sentiment, tags… and any typed text). */
  fields: Partial<Omit<InsightCreate, 'id' | 'capturedAt'>>;
  capturedAt: string;
}

/** The sync loop as the person should read it (Profile and the top bar say it in plain words). */
export interface SyncStatus {
  state: 'idle' | 'syncing' | 'offline' | 'waiting' | 'signed_out';
  /** Epoch ms of the last batch the server answered. */
  lastSyncedAt: number | null;
  /** Epoch ms of the next automatic attempt while waiting (backoff). */
  nextAttemptAt: number | null;
  /** Plain words of the last failure ("The server did not answer"), null after a success. */
  lastError: string | null;
}

/** Counts and items of one person, as the screens show them. */
export interface OutboxView {
  /** Items waiting to be sent (all kinds), oldest first. */
  pending: OutboxItem[];
  /** Refused items, with the reason. */
  attention: OutboxItem[];
  /** Edits that met a newer version. */
  conflicts: EditItem[];
  /** Other people's items on this device, waiting for them to sign in. */
  others: { id: string; name: string; count: number }[];
}

export interface TelemetryRecord {
  id: string;
  kind: TelemetryKind;
  value: number;
  attrs: Record<string, string>;
  at: string;
}

export type ConflictChoice = { keep: 'mine' } | { keep: 'theirs' } | { keep: 'merged'; text: string };
