import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/client.ts';
import { FLUSH_INTERVAL_MS, sharedRateLimitStore } from '../../src/server/plugins/rate-limit.store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.drop();
});

type Result = { current: number; ttl: number };
type Store = {
  incr(key: string, cb: (err: Error | null, r?: Result) => void, w: number, max: number): void;
  read(key: string, cb: (err: Error | null, r?: Result) => void, w: number): void;
  child(options: { routeInfo: { method: string; url: string }; batched?: boolean }): Store;
};

const WINDOW = 60_000;
const incr = (store: Store, key: string, max: number) =>
  new Promise<Result>((resolve, reject) =>
    store.incr(key, (err, r) => (err || !r ? reject(err) : resolve(r)), WINDOW, max),
  );
const read = (store: Store, key: string) =>
  new Promise<Result>((resolve, reject) =>
    store.read(key, (err, r) => (err || !r ? reject(err) : resolve(r)), WINDOW),
  );
const tableCount = async (key: string) => {
  const rows = await queryRows<{ n: number }>(
    test.database.db,
    sql`select coalesce(sum(count), 0)::int as n from rate_limits where key = ${key}`,
  );
  return Number(rows[0]?.n ?? 0);
};

/** A replica: its own store (own memory) on the shared database, for one route and budget kind. */
function replica({ url = '/api/v1/insights', method = 'POST', batched = true } = {}) {
  const shared = sharedRateLimitStore(test.database.db);
  const Store = shared.Store as unknown as new (o?: object) => Store;
  return { store: new Store().child({ routeInfo: { method, url }, batched }), flush: shared.flush };
}

describe('shared rate-limit store', () => {
  it('counts in memory far from the limit and writes the counts in one batch per interval', async () => {
    const a = replica();
    const key = 'person:batched';
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push((await incr(a.store, key, 120)).current);
    expect(answers).toEqual([1, 2, 3, 4, 5]);
    // Nothing written yet; after the interval the five arrive together.
    expect(await tableCount(`POST /api/v1/insights|${key}`)).toBe(0);
    await expect
      .poll(() => tableCount(`POST /api/v1/insights|${key}`), { timeout: FLUSH_INTERVAL_MS * 20 })
      .toBe(5);
    // read() sees the table plus what is still in memory.
    await incr(a.store, key, 120);
    expect((await read(a.store, key)).current).toBe(6);
    await a.flush();
    expect(await tableCount(`POST /api/v1/insights|${key}`)).toBe(6);
  });

  it('counts across replicas: near the limit every request is written and answered with the shared count', async () => {
    const a = replica();
    const b = replica();
    const key = 'person:shared';
    const max = 10;
    // Below half the limit each replica counts on its own…
    for (let i = 1; i <= 4; i += 1) expect((await incr(a.store, key, max)).current).toBe(i);
    await a.flush();
    expect((await incr(b.store, key, max)).current).toBe(1);
    await b.flush();
    // …and learns the other's counts from its write: B has seen 5, so from now on every request is exact.
    expect((await incr(b.store, key, max)).current).toBe(6);
    expect((await incr(a.store, key, max)).current).toBe(7);
    expect((await incr(b.store, key, max)).current).toBe(8);
    expect(await tableCount(`POST /api/v1/insights|${key}`)).toBe(8);
    // Per route and per key.
    const other = replica({ method: 'GET' });
    expect((await incr(other.store, key, max)).current).toBe(1);
    expect((await incr(a.store, 'person:else', max)).current).toBe(1);
    const state = await read(b.store, key);
    expect(state.current).toBe(8);
    expect(state.ttl).toBeGreaterThan(0);
    expect(state.ttl).toBeLessThanOrEqual(WINDOW);
  });

  it('an exact budget stops a burst spread over replicas at the limit, one write per request', async () => {
    const replicas = [replica({ batched: false }), replica({ batched: false }), replica({ batched: false })];
    const key = 'ip:burst-exact';
    const max = 40;
    // 120 requests at once, round-robin over three replicas.
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        incr((replicas[i % 3] as ReturnType<typeof replica>).store, key, max),
      ),
    );
    expect(answers.filter((r) => r.current <= max)).toHaveLength(max);
    expect(await tableCount(`POST /api/v1/insights|${key}`)).toBe(120);
  });

  it('a batched budget bounds a burst spread over replicas by their unwritten share', async () => {
    const replicas = [replica(), replica(), replica()];
    const key = 'person:burst-batched';
    const max = 40;
    // Worst case: 120 requests within one round trip, so no replica has heard from the others yet.
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        incr((replicas[i % 3] as ReturnType<typeof replica>).store, key, max),
      ),
    );
    const allowed = answers.filter((r) => r.current <= max).length;
    expect(allowed).toBeGreaterThanOrEqual(max);
    expect(allowed).toBeLessThanOrEqual(max + 2 * (max / 2));
    for (const r of replicas) await r.flush();
    expect(await tableCount(`POST /api/v1/insights|${key}`)).toBe(120);
    // Once the counts are in, every replica refuses: the window is over its limit for all of them.
    for (const r of replicas) expect((await incr(r.store, key, max)).current).toBeGreaterThan(max);
  });

  it('forgets finished windows by itself, with exact budgets alone too', async () => {
    const shared = sharedRateLimitStore(test.database.db);
    const Store = shared.Store as unknown as new (o?: object) => Store;
    const exact = new Store().child({ routeInfo: { method: 'GET', url: '/auth/login' } });
    const realNow = Date.now;
    let now = realNow();
    Date.now = () => now;
    try {
      await incr(exact, 'ip:first', 60);
      expect(shared.windowCount()).toBe(1);
      // Two windows later another sender arrives: its new window schedules a pass that drops the finished one.
      now += 2 * WINDOW;
      await incr(exact, 'ip:second', 60);
      await expect.poll(() => shared.windowCount(), { timeout: FLUSH_INTERVAL_MS * 20 }).toBe(1);
    } finally {
      Date.now = realNow;
    }
  });

  it('recovers from a reset of the table (a stale high view is corrected by the next write)', async () => {
    const a = replica();
    const key = 'person:reset';
    for (let i = 0; i < 8; i += 1) await incr(a.store, key, 10);
    await a.flush();
    await test.database.db.execute(
      sql`delete from rate_limits where key = ${`POST /api/v1/insights|${key}`}`,
    );
    expect((await incr(a.store, key, 10)).current).toBe(1);
  });
});
