import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Insight, InsightCreate } from '../../src/contract/api/insights.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { bugReports, clientTelemetry, insightAttachments, insights } from '../../src/server/db/schema.ts';
import { CaptureDb, setCaptureDb } from '../../src/web/capture/offline/db.ts';
import { drain, type SyncDeps } from '../../src/web/capture/offline/engine.ts';
import {
  editQueuedInsight,
  queueBug,
  queueEdit,
  queueInsight,
  resolveConflict,
} from '../../src/web/capture/offline/store.ts';
import type { Fetch } from '../../src/web/capture/offline/transport.ts';
import type { AttachmentItem, EditItem, Owner } from '../../src/web/capture/offline/types.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * The sync engine (the same code the page and the service worker run) against the real server: a Node fetch
 * through a signed-in Session's cookie jar stands in for the browser, fake-indexeddb for IndexedDB.
 */

let stack: TestStack;
let ari: Session;
let ariOwner: Owner;
let db: CaptureDb;
const PNG = readFileSync(path.join(import.meta.dirname, '../../src/web/capture/public/icons/icon-192.png'));

beforeAll(async () => {
  stack = await startStack();
  ari = await stack.signIn('Ari', { auth: 'mfa' });
  ariOwner = await ownerOf(ari);
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => {
  db = new CaptureDb(`sync-${randomUUID()}`);
  setCaptureDb(db);
});

const server = () => stack.db.database.db;

async function ownerOf(session: Session): Promise<Owner> {
  const me = await session.json<Me>('/api/v1/me');
  session.csrf = me.csrfToken;
  return { id: me.person.id, name: me.person.name };
}

/** A browser's fetch for this session, recording each request's method and path. */
function via(session: Session, log: string[] = []): Fetch {
  return (p, init = {}) => {
    log.push(`${init.method ?? 'GET'} ${p.split('?')[0]}`);
    return session.fetch(p, init);
  };
}

const deps = (fetch: Fetch, extra: Partial<SyncDeps> = {}): SyncDeps => ({
  db,
  fetch,
  random: () => 0.5,
  isOnline: () => true,
  appVersion: 'test',
  ...extra,
});

function body(overrides: Partial<InsightCreate> = {}): InsightCreate {
  return {
    id: randomUUID(),
    text: 'Wants hybrid search examples',
    type: 'feature_request',
    productAreas: ['atlas_vector_search'],
    sentiment: 'positive',
    priority: 'medium',
    capturedAt: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  };
}

async function storedCount(ids: string[]): Promise<number> {
  const rows = await server().select({ n: count() }).from(insights).where(inArray(insights.id, ids));
  return Number(rows[0]?.n);
}

describe('sync engine against the server', () => {
  it('sends 250 queued captures in 3 batches and stores each exactly once', async () => {
    const bodies = Array.from({ length: 250 }, () => body());
    for (const b of bodies) expect(await queueInsight(b, ariOwner)).toBe('queued');
    const log: string[] = [];
    const result = await drain(deps(via(ari, log)), { personId: ariOwner.id });
    expect(result).toMatchObject({ state: 'idle', lastError: null });
    expect(log.filter((l) => l === 'POST /api/v1/insights/batch')).toHaveLength(3);
    expect(await db.outbox.count()).toBe(0);
    expect(await storedCount(bodies.map((b) => b.id))).toBe(250);
    // The outcomes were recorded and flushed with the same drain.
    expect(await db.telemetry.count()).toBe(0);
    const sent = await server()
      .select()
      .from(clientTelemetry)
      .where(eq(clientTelemetry.personId, ariOwner.id));
    expect(sent.filter((e) => e.kind === 'sync_outcome' && e.attrs.result === 'created')).toHaveLength(250);
  });

  it('keeps items when the connection drops after the server stored them, and the resend creates nothing twice', async () => {
    const bodies = Array.from({ length: 5 }, () => body());
    for (const b of bodies) await queueInsight(b, ariOwner);
    let batchCalls = 0;
    const dropping: Fetch = async (p, init) => {
      const response = await ari.fetch(p, init);
      if (!p.startsWith('/api/v1/insights/batch')) return response;
      batchCalls += 1;
      if (batchCalls === 1) throw new TypeError('socket hang up'); // the server did the work
      if (batchCalls === 2) {
        // The answer starts, then the connection resets mid-body.
        const stream = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"results":[{"id":'));
            controller.error(new Error('ECONNRESET'));
          },
        });
        return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      return response;
    };
    const first = await drain(deps(dropping), { personId: ariOwner.id });
    expect(first.state).toBe('waiting');
    expect(await storedCount(bodies.map((b) => b.id))).toBe(5);
    expect((await db.outbox.toArray()).map((i) => i.attempts)).toEqual([1, 1, 1, 1, 1]);
    const second = await drain(deps(dropping), { personId: ariOwner.id, force: true });
    expect(second).toMatchObject({
      state: 'waiting',
      lastError: expect.stringMatching(/connection dropped/),
    });
    expect(await db.outbox.count()).toBe(5);
    const third = await drain(deps(dropping), { personId: ariOwner.id, force: true });
    expect(third.state).toBe('idle');
    expect(await db.outbox.count()).toBe(0);
    expect(await storedCount(bodies.map((b) => b.id))).toBe(5);
    const outcomes = await server()
      .select()
      .from(clientTelemetry)
      .where(eq(clientTelemetry.personId, ariOwner.id));
    const ofThese = outcomes.filter((e) => e.kind === 'sync_outcome' && e.attrs.item === 'insight');
    expect(ofThese.filter((e) => e.attrs.result === 'duplicate')).toHaveLength(5);
    expect(ofThese.filter((e) => e.attrs.result === 'failed').length).toBeGreaterThanOrEqual(10);
  });

  it('stops on a lost session without touching the items, and drains after a new sign-in', async () => {
    const session = await stack.signIn('Ari', { auth: 'mfa' });
    await ownerOf(session);
    const b = body();
    await queueInsight(b, ariOwner);
    expect((await session.post('/auth/logout', {})).status).toBe(200);
    const ended = await drain(deps(via(session)), { personId: ariOwner.id });
    expect(ended).toMatchObject({ state: 'signed_out', otherPerson: false });
    expect(await db.outbox.get(b.id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await storedCount([b.id])).toBe(0);

    const again = await stack.signIn('Ari', { auth: 'mfa' });
    expect((await drain(deps(via(again)), { personId: ariOwner.id })).state).toBe('idle');
    expect(await storedCount([b.id])).toBe(1);
  });

  it("never sends one person's items with another person's session", async () => {
    const ben = await stack.signIn('Ben', { auth: 'mfa' });
    const b = body();
    await queueInsight(b, ariOwner);
    const log: string[] = [];
    const result = await drain(deps(via(ben, log)), { personId: ariOwner.id });
    expect(result).toMatchObject({ state: 'signed_out', otherPerson: true });
    expect(log).toEqual(['GET /api/v1/me']);
    // Without an expected person (the service worker), the session's person drains only their own items.
    expect((await drain(deps(via(ben, log)))).state).toBe('idle');
    expect(log).not.toContain('POST /api/v1/insights/batch');
    expect(await storedCount([b.id])).toBe(0);
  });

  it('puts a refused capture in attention with the field names the server gives, and sends the rest', async () => {
    const good = body();
    const bad = body({ text: '   ' });
    await queueInsight(good, ariOwner);
    // The outbox sends in queuedAt order (milliseconds); two items queued in the same millisecond go in id
    // order, which is random. A later millisecond makes `bad` the batch's second item, as the field names say.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await queueInsight(bad, ariOwner);
    const result = await drain(deps(via(ari)), { personId: ariOwner.id });
    expect(result.state).toBe('idle');
    expect(await db.outbox.get(good.id)).toBeUndefined();
    const refused = await db.outbox.get(bad.id);
    expect(refused).toMatchObject({ state: 'attention', problem: { status: 422 } });
    expect(refused?.problem?.fields).toEqual([{ field: 'items[1].text', message: expect.any(String) }]);
  });

  it('uploads photos after their insight, and keeps one whose insight the server does not have', async () => {
    const b = body();
    const photo = new Blob([PNG], { type: 'image/png' });
    await queueInsight(b, ariOwner, [{ kind: 'photo', blob: photo, contentType: 'image/png' }]);
    const attachmentId = (await db.outbox.where('insightId').equals(b.id).first())?.id;
    const orphan: AttachmentItem = {
      id: randomUUID(),
      kind: 'attachment',
      ownerId: ariOwner.id,
      ownerName: ariOwner.name,
      queuedAt: new Date(Date.now() + 1000).toISOString(),
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
      problem: null,
      insightId: randomUUID(),
      attachmentKind: 'photo',
      contentType: 'image/png',
      byteSize: PNG.length,
      blobId: randomUUID(),
    };
    await db.blobs.add({ id: orphan.blobId, blob: photo, type: 'image/png', size: PNG.length });
    await db.outbox.add(orphan);
    const log: string[] = [];
    const now = Date.now();
    const result = await drain(deps(via(ari, log), { now: () => now }), { personId: ariOwner.id });
    const upload = log.indexOf(`PUT /api/v1/insights/${b.id}/attachments/${attachmentId}`);
    expect(upload).toBeGreaterThan(log.indexOf('POST /api/v1/insights/batch'));
    expect(log.indexOf('POST /api/v1/insights/batch')).toBeGreaterThan(0);
    const stored = await server()
      .select()
      .from(insightAttachments)
      .where(eq(insightAttachments.insightId, b.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'photo', contentType: 'image/png', byteSize: PNG.length });
    // The orphan: kept with its bytes, backing off, and the loop says it is waiting.
    expect(await db.outbox.get(orphan.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      nextAttemptAt: now + 1000,
    });
    expect(await db.blobs.get(orphan.blobId)).toBeDefined();
    expect(result).toMatchObject({ state: 'waiting', nextAttemptAt: now + 1000 });
    expect(await db.outbox.count()).toBe(1);
  });

  it('an edit that met a newer version waits as a conflict; keep mine resends it over the current version', async () => {
    const original = await create(body({ text: 'Original wording' }));
    expect(await queueEdit(original, { text: 'My offline wording', priority: 'high' }, ariOwner)).toBe(
      'queued',
    );
    const theirs = await patch(original.id, { version: original.version, text: 'Their wording' });
    expect(theirs.version).toBe(original.version + 1);

    expect((await drain(deps(via(ari)), { personId: ariOwner.id })).state).toBe('idle');
    const [conflict] = (await db.outbox.toArray()) as EditItem[];
    expect(conflict).toMatchObject({
      state: 'conflict',
      current: { text: 'Their wording', version: theirs.version },
    });
    expect(conflict?.problem?.status).toBe(409);

    await resolveConflict(conflict?.id ?? '', { keep: 'mine' });
    expect((await drain(deps(via(ari)), { personId: ariOwner.id })).state).toBe('idle');
    expect(await db.outbox.count()).toBe(0);
    const now = await ari.json<Insight>(`/api/v1/insights/${original.id}`);
    expect(now).toMatchObject({ text: 'My offline wording', priority: 'high', version: theirs.version + 1 });
  });

  it('take theirs drops my edit; a merged text goes with my other changes', async () => {
    const one = await create(body({ text: 'One' }));
    const two = await create(body({ text: 'Two' }));
    await queueEdit(one, { text: 'One, mine' }, ariOwner);
    await queueEdit(two, { text: 'Two, mine', sentiment: 'negative' }, ariOwner);
    const oneTheirs = await patch(one.id, { version: one.version, text: 'One, theirs' });
    const twoTheirs = await patch(two.id, { version: two.version, text: 'Two, theirs' });
    await drain(deps(via(ari)), { personId: ariOwner.id });
    const conflicts = (await db.outbox.toArray()) as EditItem[];
    expect(conflicts.map((c) => c.state)).toEqual(['conflict', 'conflict']);
    const idOf = (insightId: string) => conflicts.find((c) => c.insightId === insightId)?.id ?? '';
    await resolveConflict(idOf(one.id), { keep: 'theirs' });
    await resolveConflict(idOf(two.id), { keep: 'merged', text: 'Two, both' });
    expect(await db.outbox.count()).toBe(1);
    expect((await drain(deps(via(ari)), { personId: ariOwner.id })).state).toBe('idle');
    expect(await ari.json<Insight>(`/api/v1/insights/${one.id}`)).toMatchObject({
      text: 'One, theirs',
      version: oneTheirs.version,
    });
    expect(await ari.json<Insight>(`/api/v1/insights/${two.id}`)).toMatchObject({
      text: 'Two, both',
      sentiment: 'negative',
      version: twoTheirs.version + 1,
    });
  });

  it('a capture changed while its batch was on the way becomes an edit, so the new wording is not lost', async () => {
    const b = body({ text: 'Wording as first saved', title: 'Old title' });
    await queueInsight(b, ariOwner);
    const racing: Fetch = async (p, init) => {
      if (p === '/api/v1/insights/batch') {
        await editQueuedInsight({ ...b, text: 'Wording fixed in flight', title: undefined, tags: ['late'] });
      }
      return ari.fetch(p, init);
    };
    expect((await drain(deps(racing), { personId: ariOwner.id })).state).toBe('idle');
    expect(await db.outbox.count()).toBe(0);
    expect(await ari.json<Insight>(`/api/v1/insights/${b.id}`)).toMatchObject({
      text: 'Wording fixed in flight',
      title: null,
      tags: ['late'],
      version: 2,
    });
  });

  it('an edit changed again while it was being sent keeps the later change for the next send', async () => {
    const original = await create(body({ text: 'Before' }));
    await queueEdit(original, { text: 'First change' }, ariOwner);
    const racing: Fetch = async (p, init) => {
      if (init?.method === 'PATCH') await queueEdit(original, { priority: 'high' }, ariOwner);
      return ari.fetch(p, init);
    };
    expect((await drain(deps(racing), { personId: ariOwner.id })).state).toBe('idle');
    const [left] = (await db.outbox.toArray()) as EditItem[];
    expect(left).toMatchObject({ state: 'pending', base: { version: original.version + 1 } });
    expect((await drain(deps(via(ari)), { personId: ariOwner.id })).state).toBe('idle');
    expect(await db.outbox.count()).toBe(0);
    expect(await ari.json<Insight>(`/api/v1/insights/${original.id}`)).toMatchObject({
      text: 'First change',
      priority: 'high',
      version: original.version + 2,
    });
  });

  it('sends a bug report with its screenshot once, and a CSRF refusal is retried with a fresh token', async () => {
    const id = randomUUID();
    const report = {
      id,
      description: 'The save button jumps when the keyboard opens',
      screen: 'capture',
      appVersion: 'test',
      device: { platform: 'test', online: true },
      reportedAt: new Date().toISOString(),
    };
    expect(await queueBug(report, ariOwner, new Blob([PNG], { type: 'image/png' }))).toBe('queued');
    let stripped = 0;
    const staleToken: Fetch = (p, init = {}) => {
      if (p === '/api/v1/bug-reports' && stripped === 0) {
        stripped += 1;
        return ari.fetch(p, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), 'X-CSRF-Token': 'stale' },
        });
      }
      return ari.fetch(p, init);
    };
    expect((await drain(deps(staleToken), { personId: ariOwner.id })).state).toBe('idle');
    expect(stripped).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
    const [stored] = await server().select().from(bugReports).where(eq(bugReports.id, id));
    expect(stored?.description).toBe(report.description);
    expect(Buffer.from(stored?.screenshot ?? []).equals(PNG)).toBe(true);
  });
});

async function create(b: InsightCreate): Promise<Insight> {
  const response = await ari.post('/api/v1/insights', b);
  expect(response.status).toBe(201);
  return (await response.json()) as Insight;
}

async function patch(id: string, changes: Record<string, unknown>): Promise<Insight> {
  const response = await ari.send('PATCH', `/api/v1/insights/${id}`, changes);
  expect(response.status).toBe(200);
  return (await response.json()) as Insight;
}
