import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Insight, InsightCreate } from '../../src/contract/api/insights.ts';
import { BACKOFF_CAP_MS, backoffDelay } from '../../src/web/capture/offline/backoff.ts';
import { CaptureDb, setCaptureDb } from '../../src/web/capture/offline/db.ts';
import { completeDraft, saveDraft } from '../../src/web/capture/offline/drafts.ts';
import { drain } from '../../src/web/capture/offline/engine.ts';
import { importLegacyOutbox, LEGACY_KEY } from '../../src/web/capture/offline/legacy.ts';
import { outboxViewOf } from '../../src/web/capture/offline/outbox.ts';
import {
  discard,
  OUTBOX_LIMIT,
  queueEdit,
  queueInsight,
  retry,
} from '../../src/web/capture/offline/store.ts';
import { storeTelemetry, TELEMETRY_CAP } from '../../src/web/capture/offline/telemetry.ts';
import type { InsightItem, NewAttachment } from '../../src/web/capture/offline/types.ts';

let db: CaptureDb;
const ari = { id: randomUUID(), name: 'Ari' };
const ben = { id: randomUUID(), name: 'Ben' };

beforeEach(() => {
  db = new CaptureDb(`test-${randomUUID()}`);
  setCaptureDb(db);
});

function body(overrides: Partial<InsightCreate> = {}): InsightCreate {
  return {
    id: randomUUID(),
    text: 'Wants vector search in the free tier',
    type: 'feature_request',
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date().toISOString(),
    ...overrides,
  };
}

const photo = (bytes = 10): NewAttachment => ({
  kind: 'photo',
  blob: new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }),
  contentType: 'image/jpeg',
});

/** Something IndexedDB cannot store (structured clone refuses functions): makes a write fail mid-transaction. */
const unstorable = (): NewAttachment =>
  ({
    kind: 'photo',
    blob: { size: 3, type: 'image/jpeg', oops: () => 1 },
    contentType: 'image/jpeg',
  }) as never;

function insightRow(owner = ari, overrides: Partial<InsightItem> = {}): InsightItem {
  const b = body();
  return {
    id: b.id,
    kind: 'insight',
    body: b,
    ownerId: owner.id,
    ownerName: owner.name,
    queuedAt: new Date().toISOString(),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    problem: null,
    ...overrides,
  };
}

describe('queueInsight', () => {
  it('saves the insight, its attachments and their bytes together', async () => {
    const b = body();
    expect(await queueInsight(b, ari, [photo(10), photo(20)])).toBe('queued');
    const rows = await db.outbox.toArray();
    expect(rows.map((r) => r.kind).sort()).toEqual(['attachment', 'attachment', 'insight']);
    const attachments = rows.filter((r) => r.kind === 'attachment');
    expect(attachments.every((a) => a.kind === 'attachment' && a.insightId === b.id)).toBe(true);
    const blobs = await db.blobs.toArray();
    expect(blobs.map((x) => x.size).sort()).toEqual([10, 20]);
    expect(
      await db.blobs.get(attachments[0]?.kind === 'attachment' ? attachments[0].blobId : ''),
    ).toBeDefined();
  });

  it('writes nothing at all when one part of the save fails', async () => {
    const b = body();
    expect(await queueInsight(b, ari, [photo(), unstorable()])).toBe('unavailable');
    expect(await db.outbox.count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
  });

  it('keeps one row when the same id is queued twice (double tap)', async () => {
    const b = body();
    expect(await queueInsight(b, ari, [photo()])).toBe('queued');
    expect(await queueInsight({ ...b, text: 'changed' }, ari, [photo()])).toBe('queued');
    expect(await db.outbox.where('kind').equals('insight').count()).toBe(1);
    expect(await db.outbox.where('kind').equals('attachment').count()).toBe(1);
    expect(await db.blobs.count()).toBe(1);
    expect((await db.outbox.get(b.id))?.kind === 'insight' && (await db.outbox.get(b.id))).toMatchObject({
      body: { text: b.text },
    });
  });

  it("answers 'full' at the limit, counting what people made (not attachments)", async () => {
    await db.outbox.bulkAdd(Array.from({ length: OUTBOX_LIMIT - 1 }, () => insightRow()));
    expect(await queueInsight(body(), ari, [photo(), photo()])).toBe('queued');
    expect(await db.outbox.count()).toBe(OUTBOX_LIMIT + 2);
    const refused = body();
    expect(await queueInsight(refused, ari)).toBe('full');
    expect(await db.outbox.get(refused.id)).toBeUndefined();
  });
});

describe('discard and retry', () => {
  it('discarding an insight removes its attachments and their bytes, and nothing else', async () => {
    const mine = body();
    const other = body();
    await queueInsight(mine, ari, [photo(), photo()]);
    await queueInsight(other, ari, [photo()]);
    await discard(mine.id);
    const left = await db.outbox.toArray();
    expect(left.map((r) => (r.kind === 'attachment' ? r.insightId : r.id))).toEqual([other.id, other.id]);
    expect(await db.blobs.count()).toBe(1);
  });

  it('retry clears the problem and the backoff', async () => {
    const row = insightRow(ari, {
      state: 'attention',
      attempts: 4,
      nextAttemptAt: Date.now() + 60_000,
      problem: { status: 422, detail: 'bad', fields: [{ field: 'text', message: 'must not be empty' }] },
    });
    await db.outbox.add(row);
    await retry(row.id);
    expect(await db.outbox.get(row.id)).toMatchObject({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
      problem: null,
    });
  });
});

describe('queueEdit', () => {
  const insight = (version: number): Insight =>
    ({ id: randomUUID(), text: 'Original', version, tags: [] }) as unknown as Insight;

  it('merges a second edit into the queued one, keeping the version it started from', async () => {
    const base = insight(3);
    expect(await queueEdit(base, { text: 'First edit', priority: 'high' }, ari)).toBe('queued');
    expect(await queueEdit({ ...base, version: 4 }, { text: 'Second edit' }, ari)).toBe('queued');
    const edits = await db.outbox.where('kind').equals('edit').toArray();
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({
      insightId: base.id,
      base: { version: 3 },
      changes: { text: 'Second edit', priority: 'high' },
    });
  });

  it('keeps different insights apart', async () => {
    await queueEdit(insight(1), { text: 'a' }, ari);
    await queueEdit(insight(1), { text: 'b' }, ari);
    expect(await db.outbox.where('kind').equals('edit').count()).toBe(2);
  });
});

describe('drafts', () => {
  const draftInput = () => ({
    ownerId: ari.id,
    reason: 'no_provider' as const,
    audioType: 'audio/webm',
    durationSeconds: 12,
    fields: { type: 'bug_report' as const },
    capturedAt: new Date().toISOString(),
    audio: new Blob([new Uint8Array(64)], { type: 'audio/webm' }),
  });

  it('completeDraft queues the insight with the recording (same bytes, no copy) and removes the draft', async () => {
    const draft = await saveDraft(draftInput());
    const b = body({ source: 'voice' });
    expect(await completeDraft(draft.id, b, ari, [photo()])).toBe('queued');
    expect(await db.drafts.count()).toBe(0);
    const attachments = (await db.outbox.where('insightId').equals(b.id).toArray()).filter(
      (r) => r.kind === 'attachment',
    );
    expect(attachments.map((a) => a.kind === 'attachment' && a.attachmentKind).sort()).toEqual([
      'audio',
      'photo',
    ]);
    const audio = attachments.find((a) => a.kind === 'attachment' && a.attachmentKind === 'audio');
    expect(audio?.kind === 'attachment' && audio.blobId).toBe(draft.audioBlobId);
    expect(audio).toMatchObject({ byteSize: 64, contentType: 'audio/webm' });
    expect(await db.blobs.count()).toBe(2);
  });

  it('completeDraft changes nothing when the save fails: the draft and its recording stay', async () => {
    const draft = await saveDraft(draftInput());
    const b = body();
    expect(await completeDraft(draft.id, b, ari, [unstorable()])).toBe('unavailable');
    expect(await db.drafts.get(draft.id)).toBeDefined();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.blobs.get(draft.audioBlobId)).toBeDefined();
  });
});

class MemoryStorage implements Storage {
  readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

describe('importLegacyOutbox', () => {
  const legacy = (b: InsightCreate, problem: unknown = null) => ({
    body: b,
    ownerId: ari.id,
    ownerName: 'Ari',
    queuedAt: '2026-01-01T10:00:00.000Z',
    problem,
  });

  it('moves the old outbox in once, keeps what it cannot read, and a second run adds nothing', async () => {
    const storage = new MemoryStorage();
    const [a, b] = [body(), body()];
    const refused = { status: 422, detail: 'Nope', fields: [{ field: 'text', message: 'too long' }] };
    storage.setItem(LEGACY_KEY, JSON.stringify([legacy(a), legacy(b, refused), { junk: true }]));
    expect(await importLegacyOutbox(storage)).toBe(2);
    expect(await db.outbox.get(a.id)).toMatchObject({
      state: 'pending',
      ownerId: ari.id,
      queuedAt: '2026-01-01T10:00:00.000Z',
    });
    expect(await db.outbox.get(b.id)).toMatchObject({ state: 'attention', problem: refused });
    expect(JSON.parse(storage.getItem(LEGACY_KEY) ?? '[]')).toEqual([{ junk: true }]);
    // A crash between commit and key removal: the same items come again and are not added twice.
    storage.setItem(LEGACY_KEY, JSON.stringify([legacy(a), legacy(b)]));
    expect(await importLegacyOutbox(storage)).toBe(0);
    expect(storage.getItem(LEGACY_KEY)).toBeNull();
    expect(await db.outbox.count()).toBe(2);
  });

  it('leaves the key in place when the IndexedDB write fails', async () => {
    const storage = new MemoryStorage();
    const raw = JSON.stringify([legacy(body())]);
    storage.setItem(LEGACY_KEY, raw);
    db.close({ disableAutoOpen: true });
    await expect(importLegacyOutbox(storage)).rejects.toThrow();
    expect(storage.getItem(LEGACY_KEY)).toBe(raw);
  });
});

describe('backoff', () => {
  it('is full jitter: random(0, min(300 s, 2 s × 2^attempts))', () => {
    expect(backoffDelay(0, () => 0)).toBe(0);
    expect(backoffDelay(0, () => 0.999)).toBe(1_998);
    expect(backoffDelay(3, () => 0.5)).toBe(8_000);
    expect(backoffDelay(7, () => 0.5)).toBe(128_000);
    for (const attempts of [8, 9, 20, 1_000]) expect(backoffDelay(attempts, () => 1)).toBe(BACKOFF_CAP_MS);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(5, Math.random)));
    expect(spread.size).toBeGreaterThan(40);
    expect([...spread].every((d) => d >= 0 && d < 64_000)).toBe(true);
  });

  it('a transport failure keeps the items and schedules each one with the injected random', async () => {
    const me = { person: { id: ari.id, name: 'Ari' }, csrfToken: 't' };
    const fetch = async (path: string) => {
      if (path === '/api/v1/me') return new Response(JSON.stringify(me), { status: 200 });
      throw new TypeError('network down');
    };
    const b = body();
    await queueInsight(b, ari);
    const now = 1_000_000;
    const result = await drain({ db, fetch, now: () => now, random: () => 0.5, isOnline: () => true });
    expect(result).toMatchObject({
      state: 'waiting',
      nextAttemptAt: now + 1_000,
      lastError: 'Could not reach the server',
    });
    expect(await db.outbox.get(b.id)).toMatchObject({
      attempts: 1,
      nextAttemptAt: now + 1_000,
      state: 'pending',
    });
    // Not due yet: a normal drain leaves it alone; the second failure waits up to 4 s.
    const calls: string[] = [];
    const counting = async (path: string) => {
      calls.push(path);
      return fetch(path);
    };
    await drain({ db, fetch: counting, now: () => now + 500, random: () => 0.5 });
    expect(calls).toEqual(['/api/v1/me', '/api/v1/telemetry/capture']);
    const offline = await drain({
      db,
      fetch,
      now: () => now + 2_000,
      random: () => 0.5,
      isOnline: () => false,
    });
    expect(offline.state).toBe('offline');
    expect(await db.outbox.get(b.id)).toMatchObject({ attempts: 2, nextAttemptAt: now + 2_000 + 2_000 });
  });
});

describe('telemetry', () => {
  it('caps the table, dropping the oldest', async () => {
    await storeTelemetry(db, [{ kind: 'app_start', value: 1, attrs: { standalone: 'false' } }]);
    const first = (await db.telemetry.toArray())[0];
    await new Promise((resolve) => setTimeout(resolve, 5));
    await storeTelemetry(
      db,
      Array.from({ length: TELEMETRY_CAP + 10 }, () => ({ kind: 'queue_depth' as const, value: 3 })),
    );
    expect(await db.telemetry.count()).toBe(TELEMETRY_CAP);
    expect(await db.telemetry.get(first?.id ?? '')).toBeUndefined();
  });

  it('bounds values and attributes and never throws', async () => {
    const attrs = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, 'x'.repeat(300)]));
    await storeTelemetry(db, [{ kind: 'tap_to_saved_ms', value: Number.POSITIVE_INFINITY, attrs }]);
    const [row] = await db.telemetry.toArray();
    expect(row?.value).toBe(0);
    expect(Object.keys(row?.attrs ?? {})).toHaveLength(8);
    expect(Object.values(row?.attrs ?? {}).every((v) => v.length === 100)).toBe(true);
    db.close({ disableAutoOpen: true });
    await expect(storeTelemetry(db, [{ kind: 'reconnect', value: 1 }])).resolves.toBeUndefined();
  });
});

describe('outbox view', () => {
  it("shows one person's items by state and counts other people's", () => {
    const view = outboxViewOf(
      [insightRow(ari), insightRow(ari, { state: 'attention' }), insightRow(ben), insightRow(ben)],
      ari.id,
    );
    expect([view.pending.length, view.attention.length, view.conflicts.length]).toEqual([1, 1, 0]);
    expect(view.others).toEqual([{ id: ben.id, name: 'Ben', count: 2 }]);
  });
});

describe('drain with nothing to send', () => {
  it('makes no request at all, and asks who is signed in as soon as something waits', async () => {
    const calls: string[] = [];
    const fetch = async (path: string) => {
      calls.push(path);
      return new Response('{}', { status: 503 });
    };
    const idle = await drain({ db, fetch, locks: null }, { personId: ari.id });
    expect(idle.state).toBe('idle');
    expect(calls).toEqual([]);

    await queueInsight(body(), ari);
    const waiting = await drain({ db, fetch, locks: null }, { personId: ari.id });
    expect(calls).toEqual(['/api/v1/me']);
    expect(waiting.state).toBe('waiting');
  });
});
