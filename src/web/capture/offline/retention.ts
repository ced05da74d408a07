import { type CaptureDb, captureDb } from './db.ts';

/**
 * How long the capture app keeps things on the device (docs/security/asvs.md, offline section), and what it
 * clears on sign-out and when another person signs in on the same browser. What the person made and the server
 * does not have yet (the outbox and its bytes) is never deleted here: losing field data is the worse risk.
 */

const DAY_MS = 86_400_000;

export const RETENTION = {
  /** Cached reads (capture config, events, the Impact view) older than this are dropped and never shown. */
  cachedReadMaxAgeMs: 7 * DAY_MS,
  /** Voice drafts not changed for this long are dropped with their recording (on app start). */
  draftMaxAgeMs: 7 * DAY_MS,
  /** Queued items waiting longer than this show how long they have waited (they are kept until synced). */
  outboxAgeWarningMs: 3 * DAY_MS,
} as const;

/** Cache rows that hold the server's answers (useRemote), as opposed to device state such as the offline mark. */
const CACHED_READ_KEYS = new Set(['capture-config', 'events']);
const IMPACT_PREFIX = 'impact:';
/** The photos and recording of the unsaved Capture form (useCaptureSession). */
const FORM_MEDIA_PREFIX = 'form-media:';

/** localStorage: the check-in, and the unsaved form and quick-capture text per person. */
const CHECK_IN_KEY = 'bi.capture.context';
const PERSON_TEXT_PREFIXES = ['bi.capture.form.', 'bi.capture.quick.'];

export function isCachedRead(key: string): boolean {
  return CACHED_READ_KEYS.has(key) || key.startsWith(IMPACT_PREFIX);
}

/** A cached read saved at `savedAt` (epoch ms) is too old to show. */
export function isExpiredRead(savedAt: number, now = Date.now()): boolean {
  return now - savedAt > RETENTION.cachedReadMaxAgeMs;
}

/** A queued item saved at `queuedAt` (ISO) has waited long enough that the app shows its age. */
export function isOldQueued(queuedAt: string, now = Date.now()): boolean {
  const at = Date.parse(queuedAt);
  return Number.isFinite(at) && now - at > RETENTION.outboxAgeWarningMs;
}

/** The part of localStorage used here (window.localStorage in the app; a fake in unit tests). */
export interface KeyStore {
  readonly length: number;
  key(index: number): string | null;
  removeItem(key: string): void;
}

function browserStore(): KeyStore | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** The person id a per-person key belongs to (cache or localStorage), or null when it is not per person. */
function ownerOfKey(key: string): string | null {
  for (const prefix of [IMPACT_PREFIX, FORM_MEDIA_PREFIX, ...PERSON_TEXT_PREFIXES]) {
    if (key.startsWith(prefix)) return key.slice(prefix.length);
  }
  return null;
}

/** Remove localStorage keys chosen by `drop`; best effort (private mode, storage unavailable). */
function removeKeys(store: KeyStore | null, drop: (key: string) => boolean): void {
  if (store === null) return;
  try {
    const keys: string[] = [];
    for (let index = 0; index < store.length; index += 1) {
      const key = store.key(index);
      if (key !== null && drop(key)) keys.push(key);
    }
    for (const key of keys) store.removeItem(key);
  } catch {
    // Nothing more to do: storage that cannot be read holds nothing we could clear.
  }
}

export interface RetentionResult {
  cachedReads: number;
  drafts: number;
}

/** On app start: drop cached reads older than 7 days and voice drafts untouched for 7 days (with their bytes). */
export async function applyRetention(
  db: CaptureDb = captureDb(),
  now = Date.now(),
): Promise<RetentionResult> {
  const draftCutoff = new Date(now - RETENTION.draftMaxAgeMs).toISOString();
  return db.transaction('rw', db.cache, db.drafts, db.blobs, async () => {
    const stale = await db.cache
      .filter((row) => isCachedRead(row.key) && isExpiredRead(row.savedAt, now))
      .primaryKeys();
    await db.cache.bulkDelete(stale);
    const old = await db.drafts.where('updatedAt').below(draftCutoff).toArray();
    await db.blobs.bulkDelete(old.map((draft) => draft.audioBlobId));
    await db.drafts.bulkDelete(old.map((draft) => draft.id));
    return { cachedReads: stale.length, drafts: old.length };
  });
}

/** What the person is warned about before signing out (the queue is counted after a last sync attempt). */
export interface LeftOnDevice {
  /** This person's outbox rows (kept after sign-out until they sync). */
  unsynced: number;
  /** This person's voice drafts (deleted on sign-out). */
  drafts: number;
}

export async function leftOnDevice(personId: string, db: CaptureDb = captureDb()): Promise<LeftOnDevice> {
  const [unsynced, drafts] = await Promise.all([
    db.outbox.where('ownerId').equals(personId).count(),
    db.drafts.where('ownerId').equals(personId).count(),
  ]);
  return { unsynced, drafts };
}

/**
 * After the server ended the session: clear every cached read (any person's), the unsaved form's media, voice
 * drafts with their recordings, and telemetry from IndexedDB; the check-in and unsaved text from localStorage.
 * The outbox (and the bytes it points to) stays, so unsynced captures sync when their owner signs in again.
 * Another person's drafts stay too: only their owner may throw them away.
 */
export async function clearOnSignOut(
  personId: string,
  db: CaptureDb = captureDb(),
  store: KeyStore | null = browserStore(),
): Promise<void> {
  removeKeys(store, (key) => key === CHECK_IN_KEY || ownerOfKey(key) !== null);
  await db.transaction('rw', db.cache, db.drafts, db.blobs, db.telemetry, async () => {
    await db.cache.filter((row) => isCachedRead(row.key) || row.key.startsWith(FORM_MEDIA_PREFIX)).delete();
    const drafts = await db.drafts.where('ownerId').equals(personId).toArray();
    await db.blobs.bulkDelete(drafts.map((draft) => draft.audioBlobId));
    await db.drafts.bulkDelete(drafts.map((draft) => draft.id));
    await db.telemetry.clear();
  });
}

/**
 * A person starts the app. When the device last stood for someone else (or for nobody), nothing read for
 * anyone else may be shown: the shared cached reads (config, events), the check-in and every other person's
 * Impact view, form media and unsaved text are dropped. Outbox rows and drafts stay (others see only counts).
 */
export async function forgetOtherPeople(
  personId: string,
  previousId: string | null,
  db: CaptureDb = captureDb(),
  store: KeyStore | null = browserStore(),
): Promise<void> {
  const changed = previousId !== personId;
  const other = (key: string) => {
    const owner = ownerOfKey(key);
    return owner === null ? changed && (key === CHECK_IN_KEY || isCachedRead(key)) : owner !== personId;
  };
  removeKeys(store, other);
  await db.cache.filter((row) => other(row.key)).delete();
}
