import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/client.ts';
import { queryRows } from '../../src/server/db/client.ts';
import { people } from '../../src/server/db/schema.ts';
import { personInScope, reportingTreeSql } from '../../src/server/modules/access/scope.sql.ts';
import { findCycles, managerChain } from '../../src/server/modules/directory/hierarchy.service.ts';
import { assertNoCycle, wouldCycle } from '../../src/server/modules/directory/org.core.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * Reporting-tree scope against generated org forests: the SQL (an indexed recursive walk) must select exactly
 * the subtree an in-memory walk finds, and the cycle guard must refuse exactly the managers that would loop.
 */
let test: TestDatabase;
const db = (): Db => test.database.db;

beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.drop();
});

interface Forest {
  ids: string[];
  parent: (number | null)[];
}

/** A forest as parent indices (always earlier nodes, so acyclic): roots, deep chains and bushy levels. */
const forestArb = fc
  .array(fc.tuple(fc.constantFrom('root', 'chain', 'any', 'any', 'any'), fc.nat({ max: 1_000_000 })), {
    minLength: 1,
    maxLength: 300,
  })
  .map(
    (picks): Forest => ({
      ids: picks.map(() => randomUUID()),
      parent: picks.map(([kind, x], i) => {
        if (i === 0 || kind === 'root') return null;
        if (kind === 'chain') return i - 1;
        return x % i;
      }),
    }),
  );

function childrenOf(f: Forest): number[][] {
  const children: number[][] = f.ids.map(() => []);
  f.parent.forEach((p, i) => {
    if (p !== null) children[p]?.push(i);
  });
  return children;
}

function subtree(children: number[][], root: number): Set<number> {
  const out = new Set<number>([root]);
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop() as number;
    for (const c of children[n] ?? []) {
      out.add(c);
      stack.push(c);
    }
  }
  return out;
}

async function store(f: Forest) {
  await db().execute(sql`delete from people`);
  const rows = f.ids.map((id, i) => ({
    id,
    email: `p${i}@example.com`,
    displayName: `Person ${i}`,
    status: 'active' as const,
    managerId: f.parent[i] === null ? null : (f.ids[f.parent[i] as number] ?? null),
  }));
  for (let i = 0; i < rows.length; i += 1000)
    await db()
      .insert(people)
      .values(rows.slice(i, i + 1000));
}

async function inScopeOf(managerId: string): Promise<Set<string>> {
  const actor = {
    personId: managerId,
    scope: { kind: 'limited' as const, teams: [], trees: [managerId], units: [] },
  };
  const rows = await db().select({ id: people.id }).from(people).where(personInScope(people.id, actor));
  return new Set(rows.map((r) => r.id));
}

/** Up to `n` distinct indices below `size`, deterministic per seed (mulberry32). */
function sample(size: number, n: number, seed: number): number[] {
  let a = seed | 0;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const all = Array.from({ length: size }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return all.slice(0, Math.min(n, size));
}

describe('reporting hierarchy (property tests on generated org forests)', () => {
  it('a reporting-tree scope selects exactly the manager and everyone under them', async () => {
    await fc.assert(
      fc.asyncProperty(forestArb, fc.nat(), async (forest, seed) => {
        await store(forest);
        const children = childrenOf(forest);
        for (const m of sample(forest.ids.length, 12, seed)) {
          const expected = new Set([...subtree(children, m)].map((i) => forest.ids[i]));
          const actual = await inScopeOf(forest.ids[m] as string);
          expect(actual).toEqual(expected);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('refuses every descendant (and the person) as a new manager; accepts anyone else', async () => {
    await fc.assert(
      fc.asyncProperty(forestArb, fc.nat(), async (forest, seed) => {
        await store(forest);
        const children = childrenOf(forest);
        for (const p of sample(forest.ids.length, 3, seed)) {
          const below = subtree(children, p);
          const person = forest.ids[p] as string;
          for (const d of sample(below.size, 15, seed + 1).map((k) => [...below][k] as number)) {
            await expect(assertNoCycle(db(), person, forest.ids[d] as string, 'manager')).rejects.toThrow(
              'That manager would make the reporting chain loop.',
            );
          }
          const others = forest.ids.map((_, i) => i).filter((i) => !below.has(i));
          for (const o of sample(others.length, 15, seed + 2).map((k) => others[k] as number)) {
            expect(await wouldCycle(db(), person, forest.ids[o] as string)).toBe(false);
            await expect(
              assertNoCycle(db(), person, forest.ids[o] as string, 'manager'),
            ).resolves.toBeUndefined();
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('refuses a person as the new manager of any of their ancestors', async () => {
    await fc.assert(
      fc.asyncProperty(forestArb, fc.nat(), async (forest, seed) => {
        await store(forest);
        for (const x of sample(forest.ids.length, 5, seed)) {
          const ancestors: number[] = [];
          for (let a = forest.parent[x] ?? null; a !== null; a = forest.parent[a] ?? null) ancestors.push(a);
          for (const a of ancestors)
            expect(await wouldCycle(db(), forest.ids[a] as string, forest.ids[x] as string)).toBe(true);
          const chain = await managerChain(db(), forest.ids[x] as string);
          expect(chain.map((c) => c.id)).toEqual(ancestors.map((a) => forest.ids[a]));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('finds a corrupt cycle (defensive check) and none in a forest', async () => {
    const forest: Forest = { ids: [randomUUID(), randomUUID(), randomUUID()], parent: [null, 0, 1] };
    await store(forest);
    expect(await findCycles(db())).toEqual([]);
    // Bypass the guard, as corrupt data would: 0 → 2 → 1 → 0.
    await db().execute(sql`update people set manager_id = ${forest.ids[2]} where id = ${forest.ids[0]}`);
    const cycles = await findCycles(db());
    expect(cycles).toHaveLength(1);
    expect(new Set(cycles[0])).toEqual(new Set(forest.ids));
    expect((await managerChain(db(), forest.ids[0] as string)).length).toBe(2);
  });

  it('walks a 10,000-person reporting tree correctly (timing logged, not asserted)', async () => {
    // Levels of 1, 8, 64, 512 managers, then individual contributors, plus a 40-deep chain under one of them.
    const parent: (number | null)[] = [null];
    while (parent.length < 9_960) {
      const i = parent.length;
      parent.push(
        i <= 8 ? 0 : i <= 72 ? 1 + ((i - 9) % 8) : i <= 584 ? 9 + ((i - 73) % 64) : 73 + ((i - 585) % 512),
      );
    }
    const chainTop = parent.length - 1;
    for (let k = 0; k < 40; k += 1) parent.push(k === 0 ? chainTop : parent.length - 1);
    const forest: Forest = { ids: parent.map(() => randomUUID()), parent };
    await store(forest);
    const children = childrenOf(forest);
    for (const m of [0, 3, 100, chainTop]) {
      const started = performance.now();
      const rows = await queryRows<{ id: string }>(db(), reportingTreeSql([forest.ids[m] as string]));
      const ms = performance.now() - started;
      const expected = subtree(children, m);
      console.info(`reporting tree of node ${m}: ${rows.length} people in ${ms.toFixed(1)} ms`);
      expect(rows.length).toBe(expected.size);
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set([...expected].map((i) => forest.ids[i])));
    }
    const started = performance.now();
    const scoped = await inScopeOf(forest.ids[1] as string);
    console.info(
      `scope condition over 10,000 people: ${scoped.size} in ${(performance.now() - started).toFixed(1)} ms`,
    );
    expect(scoped.size).toBe(subtree(children, 1).size);
  });
});
