import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRateLimitStore } from '../../src/server/plugins/rate-limit.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.drop();
});

type Store = {
  incr(
    key: string,
    cb: (err: Error | null, r?: { current: number; ttl: number }) => void,
    w: number,
    max: number,
  ): void;
  read(key: string, cb: (err: Error | null, r?: { current: number; ttl: number }) => void, w: number): void;
  child(options: { routeInfo: { method: string; url: string } }): Store;
};

const incr = (store: Store, key: string) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) =>
    store.incr(key, (err, r) => (err || !r ? reject(err) : resolve(r)), 60_000, 10),
  );

describe('shared rate-limit store', () => {
  it('counts across replicas sharing one database, per route and per key', async () => {
    const Store = sharedRateLimitStore(test.database.db) as unknown as new (o?: object) => Store;
    const route = { routeInfo: { method: 'POST', url: '/api/v1/insights' } };
    const replicaA = new Store().child(route);
    const replicaB = new Store().child(route);
    expect((await incr(replicaA, 'person:1')).current).toBe(1);
    expect((await incr(replicaB, 'person:1')).current).toBe(2);
    expect((await incr(replicaA, 'person:1')).current).toBe(3);
    expect((await incr(replicaB, 'person:2')).current).toBe(1);
    const other = new Store().child({ routeInfo: { method: 'GET', url: '/api/v1/insights' } });
    expect((await incr(other, 'person:1')).current).toBe(1);
    const state = await new Promise<{ current: number; ttl: number }>((resolve, reject) =>
      replicaB.read('person:1', (err, r) => (err || !r ? reject(err) : resolve(r)), 60_000),
    );
    expect(state.current).toBe(3);
    expect(state.ttl).toBeGreaterThan(0);
    expect(state.ttl).toBeLessThanOrEqual(60_000);
  });
});
