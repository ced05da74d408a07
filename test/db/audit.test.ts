import { asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/server/db/schema.ts';
import { audit, verifyAuditChain } from '../../src/server/modules/audit/audit.service.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let test: TestDatabase;
const db = () => test.database.db;
const ctx = systemContext('test');

async function append(n: number) {
  for (let i = 0; i < n; i += 1) {
    await db().transaction((tx) =>
      audit(tx, ctx, {
        action: 'demo.seeded',
        targetId: null,
        details: { people: i, events: 0, insights: 0 },
      }),
    );
  }
}

/** What an attacker with superuser rights can do: switch the append-only triggers off for a moment. */
async function asSuperuser(work: () => Promise<unknown>) {
  await db().execute(sql`alter table audit_events disable trigger user`);
  try {
    await work();
  } finally {
    await db().execute(sql`alter table audit_events enable trigger user`);
  }
}

beforeAll(async () => {
  test = await createTestDatabase();
  await append(6);
});
afterAll(async () => {
  await test?.drop();
});

describe('audit hash chain', () => {
  it('links every event to the previous one and verifies', async () => {
    const rows = await db().select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(rows).toHaveLength(6);
    expect(rows[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]?.prevHash).toBe(rows[i - 1]?.hash);
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, checked: 6, lastHash: rows.at(-1)?.hash });
    // Paging through the chain gives the same answer.
    expect(await verifyAuditChain(db(), 4)).toMatchObject({ ok: true, checked: 6 });
  });

  it('is written in the caller’s transaction: a rolled-back change leaves no audit event', async () => {
    const before = (await db().select({ n: count() }).from(auditEvents))[0]?.n;
    await expect(
      db().transaction(async (tx) => {
        await audit(tx, ctx, {
          action: 'demo.seeded',
          targetId: null,
          details: { people: 99, events: 0, insights: 0 },
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await db().select({ n: count() }).from(auditEvents))[0]?.n).toBe(before);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('refuses undeclared detail shapes (the catalog is the contract)', async () => {
    await expect(
      db().transaction((tx) =>
        audit(tx, ctx, { action: 'demo.seeded', targetId: null, details: { people: 'many' } as never }),
      ),
    ).rejects.toThrow();
  });

  it('refuses UPDATE, DELETE and TRUNCATE from ordinary sessions', async () => {
    await expect(db().execute(sql`update audit_events set action = 'x' where seq = 1`)).rejects.toThrow();
    await expect(db().execute(sql`delete from audit_events where seq = 1`)).rejects.toThrow();
    await expect(db().execute(sql`truncate audit_events`)).rejects.toThrow();
  });

  it('detects an edited event (hash mismatch) at the exact event', async () => {
    const [row] = await db().select().from(auditEvents).where(eq(auditEvents.seq, 3));
    await asSuperuser(() =>
      db().execute(
        sql`update audit_events set details = '{"people":1000,"events":0,"insights":0}' where seq = 3`,
      ),
    );
    expect(await verifyAuditChain(db())).toMatchObject({
      ok: false,
      checked: 2,
      problem: { seq: 3, kind: 'hash_mismatch' },
    });
    // Even recomputing that row's own hash does not help: the next event no longer links to it.
    await asSuperuser(() => db().execute(sql`update audit_events set hash = repeat('a', 64) where seq = 3`));
    expect((await verifyAuditChain(db())).problem?.seq).toBe(3);
    await asSuperuser(() =>
      db()
        .update(auditEvents)
        .set({ details: row?.details ?? {}, hash: row?.hash ?? '' })
        .where(eq(auditEvents.seq, 3)),
    );
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('detects a deleted event (broken link)', async () => {
    await asSuperuser(() => db().execute(sql`delete from audit_events where seq = 4`));
    expect(await verifyAuditChain(db())).toMatchObject({
      ok: false,
      problem: { seq: 5, kind: 'broken_link' },
    });
  });

  it('detects reordered events', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 3; i += 1) {
        await fresh.database.db.transaction((tx) =>
          audit(tx, ctx, {
            action: 'demo.seeded',
            targetId: null,
            details: { people: i, events: 0, insights: 0 },
          }),
        );
      }
      const rows = await fresh.database.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
      const [a, b] = [rows[0], rows[1]];
      if (!a || !b) throw new Error('rows missing');
      const swap = async (seq: number, from: typeof a) => {
        const { seq: _seq, ...rest } = from;
        await fresh.database.db
          .update(auditEvents)
          .set({ ...rest, id: crypto.randomUUID() })
          .where(eq(auditEvents.seq, seq));
      };
      await fresh.database.db.execute(sql`alter table audit_events disable trigger user`);
      await swap(a.seq, b);
      await swap(b.seq, a);
      await fresh.database.db.execute(sql`alter table audit_events enable trigger user`);
      const result = await verifyAuditChain(fresh.database.db);
      expect(result.ok).toBe(false);
      expect(result.problem?.seq).toBe(a.seq);
    } finally {
      await fresh.drop();
    }
  });

  it('keeps one chain under concurrent writers', async () => {
    const fresh = await createTestDatabase();
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fresh.database.db.transaction((tx) =>
            audit(tx, ctx, {
              action: 'demo.seeded',
              targetId: null,
              details: { people: i, events: 0, insights: 0 },
            }),
          ),
        ),
      );
      expect(await verifyAuditChain(fresh.database.db)).toMatchObject({ ok: true, checked: 20 });
    } finally {
      await fresh.drop();
    }
  });
});
