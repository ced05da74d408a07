import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InsightCreate } from '../../src/contract/api/insights.ts';
import { CaptureDb, setCaptureDb } from '../../src/web/capture/offline/db.ts';
import { saveDraft } from '../../src/web/capture/offline/drafts.ts';
import {
  applyRetention,
  clearOnSignOut,
  forgetOtherPeople,
  isExpiredRead,
  isOldQueued,
  type KeyStore,
  leftOnDevice,
  RETENTION,
} from '../../src/web/capture/offline/retention.ts';
import { queueInsight } from '../../src/web/capture/offline/store.ts';
import { storeTelemetry } from '../../src/web/capture/offline/telemetry.ts';
import { signOutWarning } from '../../src/web/capture/useCaptureSignOut.ts';

/**
 * What the capture app keeps on the device after sign-out, after another person signs in, and after a week
 * (src/web/capture/offline/retention.ts; docs/security/asvs.md, offline section), on fake-indexeddb.
 */

let db: CaptureDb;
const ari = { id: randomUUID(), name: 'Ari' };
const ben = { id: randomUUID(), name: 'Ben' };
const DAY = 86_400_000;

beforeEach(() => {
  db = new CaptureDb(`test-${randomUUID()}`);
  setCaptureDb(db);
});

/** localStorage stand-in (window.localStorage in the app). */
function fakeStorage(entries: Record<string, string>): KeyStore & { keys: () => string[] } {
  const map = new Map(Object.entries(entries));
  return {
    get length() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    keys: () => [...map.keys()].sort(),
  };
}

function body(text: string): InsightCreate {
  return {
    id: randomUUID(),
    text,
    type: 'feature_request',
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date().toISOString(),
  };
}

const audio = () => new Blob([new Uint8Array(8)], { type: 'audio/webm' });

function draftOf(owner: { id: string }) {
  return saveDraft({
    ownerId: owner.id,
    reason: 'offline',
    audioType: 'audio/webm',
    durationSeconds: 3,
    fields: { text: 'half a thought' },
    capturedAt: new Date().toISOString(),
    audio: audio(),
  });
}

async function cacheRow(key: string, savedAt = Date.now()) {
  await db.cache.put({ key, value: { secret: key }, savedAt });
}

const cacheKeys = async () => ((await db.cache.toCollection().primaryKeys()) as string[]).sort();

/** Everything a signed-in advocate (Ari) leaves on a shared device, plus Ben's queued item and draft. */
async function seedDevice() {
  for (const key of [
    'capture-config',
    'events',
    `impact:${ari.id}`,
    `impact:${ben.id}`,
    `form-media:${ari.id}`,
  ])
    await cacheRow(key);
  await cacheRow('sync:offlineSince');
  expect(
    await queueInsight(body('Ari: needs a Terraform provider'), ari, [
      {
        kind: 'photo',
        blob: new Blob([new Uint8Array(4)], { type: 'image/jpeg' }),
        contentType: 'image/jpeg',
      },
    ]),
  ).toBe('queued');
  expect(await queueInsight(body('Ben: wants offline docs'), ben)).toBe('queued');
  const ariDraft = await draftOf(ari);
  const benDraft = await draftOf(ben);
  await storeTelemetry(db, [{ kind: 'app_start', value: 1 }]);
  const store = fakeStorage({
    'bi.capture.person': JSON.stringify({ person: ari, role: 'advocate' }),
    'bi.capture.context': JSON.stringify({ eventId: randomUUID(), eventName: 'Summit' }),
    [`bi.capture.form.${ari.id}`]: JSON.stringify({ form: { text: 'typed, not saved' }, draftId: null }),
    [`bi.capture.quick.${ari.id}`]: JSON.stringify('quick note'),
    [`bi.capture.form.${ben.id}`]: JSON.stringify({ form: { text: "Ben's text" }, draftId: null }),
    'bi.capture.outbox.v1': '[]',
    'unrelated.app.key': '1',
  });
  return { ariDraft, benDraft, store };
}

describe('sign-out', () => {
  it('clears cached reads, drafts, telemetry, form text and check-in, and keeps every unsynced capture', async () => {
    const { ariDraft, benDraft, store } = await seedDevice();
    const outboxBefore = (await db.outbox.toArray()).map((row) => row.id).sort();
    const attachmentBlob = (await db.outbox.toArray()).find((row) => row.kind === 'attachment');

    await clearOnSignOut(ari.id, db, store);

    expect(await cacheKeys()).toEqual(['sync:offlineSince']);
    expect((await db.drafts.toArray()).map((draft) => draft.id)).toEqual([benDraft.id]);
    expect(await db.blobs.get(ariDraft.audioBlobId)).toBeUndefined();
    expect(await db.blobs.get(benDraft.audioBlobId)).toBeDefined();
    expect(await db.telemetry.count()).toBe(0);
    // Unsynced captures (Ari's and Ben's) and the bytes of Ari's queued photo stay until they sync.
    expect((await db.outbox.toArray()).map((row) => row.id).sort()).toEqual(outboxBefore);
    expect(attachmentBlob?.kind === 'attachment' && (await db.blobs.get(attachmentBlob.blobId))).toBeTruthy();
    // Who (forgotten separately, once the server confirmed), the legacy outbox and other apps' keys stay.
    expect(store.keys()).toEqual(['bi.capture.outbox.v1', 'bi.capture.person', 'unrelated.app.key']);
  });

  it('counts what the person leaves behind, for the warning', async () => {
    await seedDevice();
    expect(await leftOnDevice(ari.id, db)).toEqual({ unsynced: 2, drafts: 1 });
    await clearOnSignOut(ari.id, db, fakeStorage({}));
    expect(await leftOnDevice(ari.id, db)).toEqual({ unsynced: 2, drafts: 0 });
  });

  it('warns that unsynced items stay and drafts and unsaved text go', () => {
    expect(signOutWarning({ unsynced: 0, drafts: 0 }, false)).toBeNull();
    expect(signOutWarning({ unsynced: 1, drafts: 0 }, false)).toBe(
      "1 item hasn't synced yet. They stay on this device and sync when you sign in here again. Sign out anyway?",
    );
    const all = signOutWarning({ unsynced: 2, drafts: 2 }, true) ?? '';
    expect(all).toMatch(/^2 items haven't synced yet\. They stay on this device/);
    expect(all).toContain(
      '2 voice drafts without text will be deleted from this device, with their recordings.',
    );
    expect(all).toContain('The unsaved text on the Capture form will be cleared.');
  });
});

describe('another person on the same device', () => {
  it("drops the previous person's cache, check-in and text; keeps their queued items and drafts", async () => {
    const { ariDraft, store } = await seedDevice();
    await forgetOtherPeople(ben.id, ari.id, db, store);
    expect(await cacheKeys()).toEqual([`impact:${ben.id}`, 'sync:offlineSince']);
    expect(store.keys()).toEqual([
      `bi.capture.form.${ben.id}`,
      'bi.capture.outbox.v1',
      'bi.capture.person',
      'unrelated.app.key',
    ]);
    expect(await db.outbox.where('ownerId').equals(ari.id).count()).toBe(2);
    expect(await db.drafts.get(ariDraft.id)).toBeDefined();
  });

  it('treats a device that stood for nobody as a change, and the same person as none', async () => {
    await seedDevice();
    const same = fakeStorage({ 'bi.capture.context': '{}', [`bi.capture.form.${ben.id}`]: '{}' });
    await forgetOtherPeople(ari.id, ari.id, db, same);
    // Same person: their config, events and check-in stay; only other people's entries go.
    expect(await cacheKeys()).toEqual(
      ['capture-config', 'events', `form-media:${ari.id}`, `impact:${ari.id}`, 'sync:offlineSince'].sort(),
    );
    expect(same.keys()).toEqual(['bi.capture.context']);
    await forgetOtherPeople(ari.id, null, db, same);
    expect(await cacheKeys()).toEqual(
      [`form-media:${ari.id}`, `impact:${ari.id}`, 'sync:offlineSince'].sort(),
    );
    expect(same.keys()).toEqual([]);
  });
});

describe('short retention', () => {
  it('drops cached reads older than 7 days and keeps fresh ones and device state', async () => {
    const now = Date.now();
    const old = now - RETENTION.cachedReadMaxAgeMs - 1;
    await cacheRow('capture-config', old);
    await cacheRow(`impact:${ari.id}`, old);
    await cacheRow('events', now - DAY);
    await cacheRow(`impact:${ben.id}`, now - 6 * DAY);
    await cacheRow('sync:offlineSince', old);
    await cacheRow(`form-media:${ari.id}`, old);
    const result = await applyRetention(db, now);
    expect(result.cachedReads).toBe(2);
    expect(await cacheKeys()).toEqual(
      ['events', `form-media:${ari.id}`, `impact:${ben.id}`, 'sync:offlineSince'].sort(),
    );
  });

  it('drops voice drafts untouched for 7 days with their recording; queued captures of any age stay', async () => {
    const stale = await draftOf(ari);
    const fresh = await draftOf(ari);
    const now = Date.now();
    await db.drafts.update(stale.id, { updatedAt: new Date(now - 8 * DAY).toISOString() });
    await db.drafts.update(fresh.id, { updatedAt: new Date(now - 2 * DAY).toISOString() });
    expect(await queueInsight(body('from a month ago'), ari)).toBe('queued');
    await db.outbox.toCollection().modify({ queuedAt: new Date(now - 30 * DAY).toISOString() });

    expect(await applyRetention(db, now)).toEqual({ cachedReads: 0, drafts: 1 });
    expect((await db.drafts.toArray()).map((draft) => draft.id)).toEqual([fresh.id]);
    expect(await db.blobs.get(stale.audioBlobId)).toBeUndefined();
    expect(await db.blobs.get(fresh.audioBlobId)).toBeDefined();
    expect(await db.outbox.count()).toBe(1);
  });

  it('hides a cached read past 7 days and flags queued items waiting more than 3 days', () => {
    const now = Date.now();
    expect(isExpiredRead(now - RETENTION.cachedReadMaxAgeMs, now)).toBe(false);
    expect(isExpiredRead(now - RETENTION.cachedReadMaxAgeMs - 1, now)).toBe(true);
    expect(isOldQueued(new Date(now - 3 * DAY + 60_000).toISOString(), now)).toBe(false);
    expect(isOldQueued(new Date(now - 3 * DAY - 60_000).toISOString(), now)).toBe(true);
    expect(RETENTION).toEqual({
      cachedReadMaxAgeMs: 7 * DAY,
      draftMaxAgeMs: 7 * DAY,
      outboxAgeWarningMs: 3 * DAY,
    });
  });
});
