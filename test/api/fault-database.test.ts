import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsightBatchResult, InsightCreate } from '../../src/contract/api/insights.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { CaptureDb, setCaptureDb } from '../../src/web/capture/offline/db.ts';
import { drain } from '../../src/web/capture/offline/engine.ts';
import { queueInsight } from '../../src/web/capture/offline/store.ts';
import type { Fetch } from '../../src/web/capture/offline/transport.ts';
import { suiteDatabase } from '../helpers/db.ts';
import { outboxInsight } from '../helpers/insights.ts';
import type { Session, TestStack } from '../helpers/stack.ts';
import { type ProxiedPostgresStack, startStackBehindProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

/**
 * The database stops while the app is serving: a TCP proxy between the app and PostgreSQL is paused (new
 * connections refused, open ones reset), slowed or resumed. The app is never restarted. What must hold: a sync
 * batch caught by the outage fails with a 5xx problem at once and writes nothing; /readyz is 503 while the
 * database is away and /healthz stays 200; readiness comes back by itself; the same batch sent again (as the
 * capture app does) leaves exactly one row and one audit event per client id; the capture app's own sync engine
 * keeps its queue through the outage and drains after.
 *
 * PostgreSQL only: the embedded PGlite runs inside the app's process and cannot be made unreachable without
 * stopping the app (the restart tests cover that: test/api/rolling-shutdown.test.ts).
 */
const suite = suiteDatabase();
if (suite.kind !== 'postgres')
  console.warn('fault-database: PostgreSQL only (set DATABASE_URL); skipped on the embedded PGlite');

let stack: TestStack;
let proxy: TcpProxy;
/** Straight to PostgreSQL, around the proxy: what the database really holds. */
let direct: pg.Pool;
let dbName: string;
let faulty: ProxiedPostgresStack;
let ari: Session;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  if (suite.kind !== 'postgres') return;
  faulty = await startStackBehindProxy(suite.url);
  ({ stack, proxy, direct, dbName } = faulty);
  ari = await stack.signIn('Ari');
});
afterAll(async () => {
  await faulty?.close();
});

async function rowsPerId(ids: string[]): Promise<number[]> {
  const { rows } = await direct.query<{ id: string; n: string }>(
    'select id::text, count(*) as n from insights where id = any($1::uuid[]) group by id',
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, Number(r.n)]));
  return ids.map((id) => byId.get(id) ?? 0);
}

async function createdEventsPerId(ids: string[]): Promise<number[]> {
  const { rows } = await direct.query<{ id: string; n: string }>(
    `select target_id as id, count(*) as n from audit_events
      where action = 'insight.created' and target_id = any($1::text[]) group by target_id`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, Number(r.n)]));
  return ids.map((id) => byId.get(id) ?? 0);
}

/** Wait (polling PostgreSQL itself) until the app's transaction has sent `statement` (a LIKE pattern). */
async function untilInFlight(statement: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await direct.query(
      `select 1 from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()
          and state in ('active', 'idle in transaction') and query ilike $2`,
      [dbName, statement],
    );
    if (rows.length > 0) return;
    await sleep(10);
  }
  throw new Error(`${statement} never reached the database`);
}
const untilInsertInFlight = () => untilInFlight('insert into "insights"%');

/** Connections the app's pool has handed out and not got back. */
function checkedOut() {
  const pool = stack.db.database.poolStats();
  return pool.total - pool.idle;
}

async function status(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function sendBatch(items: unknown[], signal?: AbortSignal) {
  return ari.fetch('/api/v1/insights/batch', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': ari.csrf },
    body: JSON.stringify({ items }),
    signal: signal ?? AbortSignal.timeout(15_000),
  });
}

async function resendUntilSynced(items: unknown[]) {
  const response = await sendBatch(items);
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as InsightBatchResult).results;
}

describe.runIf(suite.kind === 'postgres')('the database stops during a sync batch (PostgreSQL)', () => {
  it('answers 5xx at once, writes nothing, turns unready, recovers by itself, and the resend is exactly once', async () => {
    const items = Array.from({ length: 20 }, (_, i) => outboxInsight({ text: `Outage capture ${i}` }));
    const ids = items.map((i) => i.id);

    proxy.slow(150);
    const pending = sendBatch(items);
    await untilInsertInFlight();
    const stoppedAt = Date.now();
    await proxy.pause();
    const failed = await pending;
    expect(Date.now() - stoppedAt, 'the failed batch is answered at once, not after a hang').toBeLessThan(
      5_000,
    );
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await failed.json()) as { status: number; detail: string };
    expect(problem.status).toBe(failed.status);
    expect(problem.detail).not.toMatch(/ECONN|terminated|insert into|at .+\.ts/i);
    // Nothing of the batch was committed: no insight, no audit event.
    expect(await rowsPerId(ids)).toEqual(ids.map(() => 0));
    expect(await createdEventsPerId(ids)).toEqual(ids.map(() => 0));

    // While the database is away: not ready (take me out of the load balancer), but alive (do not restart me).
    const unready = await status('/readyz');
    expect(unready).toEqual({
      status: 503,
      body: {
        status: 'not_ready',
        checks: { database: 'unreachable', migrations: 'unknown', draining: false },
      },
    });
    expect(await status('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const refused = await sendBatch(items);
    expect(refused.status).toBeGreaterThanOrEqual(500);

    // The database comes back: the same process turns ready again within a few seconds.
    await proxy.resume();
    const back = Date.now();
    let ready = await status('/readyz');
    while (ready.status !== 200 && Date.now() - back < 10_000) {
      await sleep(100);
      ready = await status('/readyz');
    }
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: 'ok' } });

    // The capture app sends the same batch again: each item created (or duplicate), once.
    const results = await resendUntilSynced(items);
    expect(results.map((r) => r.status).every((s) => s === 'created' || s === 'duplicate')).toBe(true);
    expect(await rowsPerId(ids)).toEqual(ids.map(() => 1));
    expect(await createdEventsPerId(ids)).toEqual(ids.map(() => 1));
    const again = await resendUntilSynced(items);
    expect(again.map((r) => r.status)).toEqual(ids.map(() => 'duplicate'));
    expect(await rowsPerId(ids)).toEqual(ids.map(() => 1));
    // No connection was lost for good: every one the outage broke was given back (or discarded).
    expect(checkedOut()).toBe(0);
  });

  it('a connection lost just as its transaction begins is given back: outages never drain the pool', async () => {
    // The answer to BEGIN is held by the proxy, then the database goes away: BEGIN fails on the app's side.
    // Once per connection the pool may open (5 in tests): a connection kept for good each time would leave
    // none, and every request after would wait for one forever.
    for (let round = 0; round < 5; round += 1) {
      proxy.slow(150);
      const pending = sendBatch([outboxInsight({ text: `Begin lost ${round}` })]);
      await untilInFlight('begin');
      await proxy.pause();
      expect((await pending).status).toBeGreaterThanOrEqual(500);
      await proxy.resume();
    }
    for (const quiet = Date.now() + 2_000; checkedOut() > 0 && Date.now() < quiet; ) await sleep(20);
    expect(checkedOut()).toBe(0);
    const ready = await fetch(`${stack.baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
    expect(ready.status).toBe(200);
  });

  it('a client whose connection drops mid-batch resends it and nothing is stored twice', async () => {
    // The browser goes away after sending: the server may still finish the batch. The resend must not care.
    const items = Array.from({ length: 10 }, () => outboxInsight({ text: 'Sent from a train' }));
    const ids = items.map((i) => i.id);
    proxy.slow(100);
    const abort = new AbortController();
    const pending = sendBatch(items, abort.signal);
    await untilInsertInFlight();
    abort.abort();
    await expect(pending).rejects.toThrow();
    await proxy.resume();
    const results = await resendUntilSynced(items);
    expect(results.map((r) => r.status).every((s) => s === 'created' || s === 'duplicate')).toBe(true);
    expect(await rowsPerId(ids)).toEqual(ids.map(() => 1));
    expect(await createdEventsPerId(ids)).toEqual(ids.map(() => 1));
  });

  it("the capture app's sync engine keeps its queue while the server fails, and drains exactly once after", async () => {
    const db = new CaptureDb(`fault-${randomUUID()}`);
    setCaptureDb(db);
    const me = await ari.json<Me>('/api/v1/me');
    const owner = { id: me.person.id, name: me.person.name };
    const bodies: InsightCreate[] = Array.from({ length: 5 }, () => ({
      id: randomUUID(),
      text: 'Queued at the booth',
      type: 'feature_request',
      productAreas: ['atlas_vector_search'],
      sentiment: 'neutral',
      priority: 'medium',
      capturedAt: new Date(Date.now() - 60_000).toISOString(),
    }));
    for (const b of bodies) expect(await queueInsight(b, owner)).toBe('queued');
    const statuses: number[] = [];
    const browser: Fetch = async (p, init) => {
      const response = await ari.fetch(p, init);
      if (p.startsWith('/api/v1/insights/batch')) statuses.push(response.status);
      return response;
    };
    const deps = { db, fetch: browser, random: () => 0.5, isOnline: () => true, appVersion: 'test' };

    await proxy.pause();
    const during = await drain(deps, { personId: owner.id, force: true });
    expect(during).toMatchObject({ state: 'waiting', lastError: expect.stringMatching(/unavailable|busy/) });
    expect(statuses.every((s) => s >= 500)).toBe(true);
    expect(await db.outbox.count()).toBe(5);
    expect(await rowsPerId(bodies.map((b) => b.id))).toEqual([0, 0, 0, 0, 0]);

    await proxy.resume();
    const after = await drain(deps, { personId: owner.id, force: true });
    expect(after).toMatchObject({ state: 'idle', lastError: null });
    expect(await db.outbox.count()).toBe(0);
    expect(await rowsPerId(bodies.map((b) => b.id))).toEqual([1, 1, 1, 1, 1]);
    db.close();
  });
});
