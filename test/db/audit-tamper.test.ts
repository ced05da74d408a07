import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/client.ts';
import { auditCheckpoints, auditEvents } from '../../src/server/db/schema.ts';
import { auditHash } from '../../src/server/modules/audit/audit.chain.ts';
import {
  checkpointIfDue,
  checkpointPayload,
  createCheckpoint,
} from '../../src/server/modules/audit/audit.checkpoints.ts';
import {
  type AuditSigningKey,
  generateSigningKeyPem,
  parseSigningKey,
  signPayload,
  verifyKeysFrom,
} from '../../src/server/modules/audit/audit.keys.ts';
import { audit } from '../../src/server/modules/audit/audit.service.ts';
import { type ChainVerification, verifyAuditChain } from '../../src/server/modules/audit/audit.verify.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { cliRunner } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * Tampering with the audit log, as someone with superuser rights could (triggers off), and what the verifier
 * reports: the kind and the FIRST bad sequence number. Each scenario runs in a transaction that is rolled back,
 * so every one starts from the same log: events 1-4, a gap at 5 (a rolled-back append), 6-11, with signed
 * checkpoints at 3, 7 and 9; events 10 and 11 are not signed yet.
 */
let test: TestDatabase;
const db = () => test.database.db;
const ctx = systemContext('test');
const pem = generateSigningKeyPem();
const key = parseSigningKey(pem);
const keys = verifyKeysFrom(key, {});
const t0 = new Date('2026-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

async function append(tx: Db, n: number) {
  for (let i = 0; i < n; i += 1)
    await audit(tx, ctx, { action: 'demo.seeded', details: { people: i, events: 0, insights: 0 } });
}

class Rollback extends Error {}

/** Tamper inside a transaction (triggers off for it only), verify what the tampered log looks like, undo. */
async function tampered(work: (tx: Db) => Promise<unknown>): Promise<ChainVerification> {
  let result: ChainVerification | undefined;
  await expect(
    db().transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger user`);
      await tx.execute(sql`alter table audit_checkpoints disable trigger user`);
      await work(tx);
      result = await verifyAuditChain(tx, { keys, pageSize: 4 });
      throw new Rollback();
    }),
  ).rejects.toThrow(Rollback);
  if (!result) throw new Error('no verification');
  return result;
}

async function rowAt(tx: Db, seq: number) {
  const [row] = await tx.select().from(auditEvents).where(eq(auditEvents.seq, seq));
  if (!row) throw new Error(`no event ${seq}`);
  return row;
}

beforeAll(async () => {
  test = await createTestDatabase();
  await db().transaction((tx) => append(tx, 3));
  expect(await createCheckpoint(db(), key, minutes(0))).toMatchObject({ created: true });
  await db().transaction((tx) => append(tx, 1));
  // A rolled-back append uses up seq 5: gaps are normal and not evidence of anything.
  await expect(
    db().transaction(async (tx) => {
      await append(tx, 1);
      throw new Rollback();
    }),
  ).rejects.toThrow(Rollback);
  await db().transaction((tx) => append(tx, 2));
  expect(await createCheckpoint(db(), key, minutes(15))).toMatchObject({
    created: true,
    checkpoint: { seq: 7 },
  });
  await db().transaction((tx) => append(tx, 2));
  expect(await createCheckpoint(db(), key, minutes(30))).toMatchObject({
    created: true,
    checkpoint: { seq: 9 },
  });
  await db().transaction((tx) => append(tx, 2));
});
afterAll(async () => {
  await test?.drop();
});

describe('signed checkpoints', () => {
  it('chain the head: skipped while the head stands still or the interval has not passed', async () => {
    const cps = await db().select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq));
    expect(cps.map((c) => c.seq)).toEqual([3, 7, 9]);
    expect(cps[0]?.prevSignature).toBeNull();
    expect(cps[1]?.prevSignature).toBe(cps[0]?.signature);
    expect(cps[2]).toMatchObject({
      prevSignature: cps[1]?.signature,
      keyId: key.keyId,
      algorithm: 'Ed25519',
    });
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);

    expect(await checkpointIfDue(db(), minutes(40), 15, () => key)).toMatchObject({ skipped: 'not due' });
    const result = await tampered(async (tx) => {
      expect(await checkpointIfDue(tx, minutes(45), 15, () => key)).toMatchObject({ created: true, seq: 11 });
      expect(await createCheckpoint(tx, key, minutes(46))).toMatchObject({
        created: false,
        reason: expect.stringContaining('has not moved'),
      });
    });
    expect(result).toMatchObject({
      ok: true,
      checked: 10,
      checkpointsChecked: 4,
      lastCheckpoint: { seq: 11 },
    });
  });

  it('verify an intact log: every event and checkpoint', async () => {
    expect(await verifyAuditChain(db(), { keys })).toMatchObject({
      ok: true,
      checked: 10,
      checkpointsChecked: 3,
      lastSeq: 11,
      head: { seq: 11 },
      lastCheckpoint: { seq: 9, keyId: key.keyId },
      anchor: null,
    });
  });
});

describe('tampering is detected with the kind and the first bad sequence number', () => {
  it('an edited event', async () => {
    const result = await tampered((tx) =>
      tx.execute(
        sql`update audit_events set details = '{"people":99,"events":0,"insights":0}' where seq = 6`,
      ),
    );
    expect(result).toMatchObject({ ok: false, checked: 4, problem: { seq: 6, kind: 'hash_mismatch' } });
  });

  it('a deleted event', async () => {
    const result = await tampered((tx) => tx.execute(sql`delete from audit_events where seq = 6`));
    expect(result.problem).toMatchObject({ seq: 7, kind: 'broken_link' });
  });

  it('an inserted event (into the gap, linked to the event before it)', async () => {
    const result = await tampered(async (tx) => {
      const before = await rowAt(tx, 4);
      const { seq: _seq, prevHash: _p, hash: _h, ...content } = before;
      const forged = { ...content, id: crypto.randomUUID(), details: { people: 7, events: 0, insights: 0 } };
      await tx.execute(sql`insert into audit_events (seq, id, occurred_at, action, outcome, target_type, details, prev_hash, hash)
        overriding system value values (5, ${forged.id}, ${forged.occurredAt.toISOString()}, ${forged.action}, 'success',
        ${forged.targetType}, ${JSON.stringify(forged.details)}::jsonb, ${before.hash}, ${auditHash(before.hash, { ...forged, actorId: null, actorSessionId: null, actorRole: null, targetId: null, actorTokenId: null, actorBreakGlass: false, ip: null, userAgent: null, requestId: null, traceId: null })})`);
      // The forged event itself verifies; the one after it no longer links.
      expect((await rowAt(tx, 5)).prevHash).toBe(before.hash);
    });
    expect(result.problem).toMatchObject({ seq: 6, kind: 'broken_link' });
  });

  it('reordered events', async () => {
    const result = await tampered(async (tx) => {
      const [a, b] = [await rowAt(tx, 2), await rowAt(tx, 3)];
      const { seq: _a, ...restA } = a;
      const { seq: _b, ...restB } = b;
      await tx
        .update(auditEvents)
        .set({ ...restB, id: crypto.randomUUID() })
        .where(eq(auditEvents.seq, 2));
      await tx.update(auditEvents).set(restA).where(eq(auditEvents.seq, 3));
      await tx.update(auditEvents).set({ id: b.id }).where(eq(auditEvents.seq, 2));
    });
    expect(result.problem).toMatchObject({ seq: 2, kind: 'broken_link' });
  });

  it('a truncated log: the newest events removed after a checkpoint', async () => {
    const result = await tampered((tx) => tx.execute(sql`delete from audit_events where seq > 7`));
    expect(result).toMatchObject({
      ok: false,
      checked: 6,
      head: { seq: 7 },
      problem: { seq: 8, kind: 'truncated', checkpointSeq: 9 },
    });
    expect(result.problem?.message).toContain('events from 8 on are missing');
  });

  it('a truncated log that grew again (appends after the cut link to the new head)', async () => {
    const result = await tampered(async (tx) => {
      await tx.execute(sql`delete from audit_events where seq > 7`);
      await append(tx, 1);
    });
    expect(result.problem).toMatchObject({ seq: 8, kind: 'truncated', checkpointSeq: 9 });
    expect(result.problem?.message).toMatch(/events 8 to 11 are missing/);
  });

  it('a rewrite with recomputed hashes (the chain itself verifies)', async () => {
    const result = await tampered(async (tx) => {
      const rows = await tx.select().from(auditEvents).orderBy(asc(auditEvents.seq));
      let prev = (await rowAt(tx, 4)).hash;
      for (const row of rows.filter((r) => r.seq >= 6)) {
        const { seq, prevHash: _p, hash: _h, ...content } = row;
        const details = seq === 6 ? { people: 1000, events: 0, insights: 0 } : content.details;
        const hash = auditHash(prev, { ...content, details });
        await tx.update(auditEvents).set({ details, prevHash: prev, hash }).where(eq(auditEvents.seq, seq));
        prev = hash;
      }
      // Without the public key the rewritten chain passes every hash and link: only the checkpoints catch it.
      const unkeyed = await verifyAuditChain(tx);
      expect(unkeyed).toMatchObject({ checked: 10, problem: { kind: 'checkpoint_signature_invalid' } });
    });
    expect(result.problem).toMatchObject({ seq: 7, kind: 'checkpoint_mismatch', checkpointSeq: 7 });
    expect(result.problem?.message).toContain('after event 3, the last checkpoint that matches');
  });

  it('a checkpoint with a forged signature, or signed with an unknown key', async () => {
    const [last] = await db().select().from(auditCheckpoints).where(eq(auditCheckpoints.seq, 9));
    const head = await rowAt(db(), 11);
    const unsigned = {
      seq: 11,
      hash: head.hash,
      createdAt: minutes(45),
      prevSignature: last?.signature ?? null,
    };
    const forged = await tampered((tx) =>
      tx.insert(auditCheckpoints).values({
        ...unsigned,
        keyId: key.keyId,
        signature: Buffer.alloc(64, 7).toString('base64'),
      }),
    );
    expect(forged.problem).toMatchObject({
      seq: 11,
      kind: 'checkpoint_signature_invalid',
      checkpointSeq: 11,
    });
    expect(forged.problem?.message).toContain('does not verify');

    const rogue: AuditSigningKey = { ...parseSigningKey(generateSigningKeyPem()), keyId: 'rogue' };
    const unknown = await tampered((tx) =>
      tx.insert(auditCheckpoints).values({
        ...unsigned,
        keyId: 'rogue',
        signature: signPayload(rogue, checkpointPayload({ ...unsigned, keyId: 'rogue' })),
      }),
    );
    expect(unknown.problem).toMatchObject({ seq: 11, kind: 'checkpoint_signature_invalid' });
    expect(unknown.problem?.message).toContain('not a trusted key');

    // An existing checkpoint edited to sign another hash: its own signature no longer verifies.
    const edited = await tampered((tx) =>
      tx.update(auditCheckpoints).set({ hash: head.hash }).where(eq(auditCheckpoints.seq, 7)),
    );
    expect(edited.problem).toMatchObject({ seq: 7, kind: 'checkpoint_signature_invalid' });
  });

  it('a removed checkpoint', async () => {
    const result = await tampered((tx) => tx.delete(auditCheckpoints).where(eq(auditCheckpoints.seq, 7)));
    expect(result).toMatchObject({
      ok: false,
      checkpointsChecked: 2,
      problem: { seq: 9, kind: 'checkpoint_chain_broken' },
    });
  });

  it('reports the first bad sequence number when several things were changed', async () => {
    const result = await tampered(async (tx) => {
      await tx.delete(auditCheckpoints).where(eq(auditCheckpoints.seq, 7));
      await tx.execute(sql`delete from audit_events where seq > 9`);
      await tx.execute(sql`update audit_events set action = 'insight.created' where seq = 8`);
    });
    expect(result.problem).toMatchObject({ seq: 8, kind: 'hash_mismatch' });
  });
});

describe('bi audit verify', () => {
  it('prints the head and checkpoints (exit 0), then names the first bad event and kind (exit 1)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bi-audit-cli-'));
    try {
      const env: Record<string, string> = { DATA_DIR: dataDir, AUDIT_SIGNING_KEY: pem };
      if (test.url) env.DATABASE_URL = test.url;
      else {
        // The CLI opens a PGlite data directory: give it a copy of this test's database.
        const dump = await test.database.dumpDataDir?.();
        const copy = new PGlite(path.join(dataDir, 'pglite'), {
          extensions: { pg_trgm },
          ...(dump ? { loadDataDir: dump } : {}),
        });
        await copy.waitReady;
        await copy.exec('alter table audit_events disable trigger user');
        await copy.exec('update audit_events set outcome = $$failure$$ where seq = 8');
        await copy.exec('alter table audit_events enable trigger user');
        await copy.close();
      }
      const bi = cliRunner(() => env);
      if (test.url) {
        expect(await bi('audit', 'verify')).toMatchObject({
          code: 0,
          out: expect.stringMatching(
            /^Audit chain intact: 10 events verified; head [0-9a-f]{64} \(seq 11\)\.\n3 checkpoints verified; last checkpoint at event 9 \(2026-03-01T10:30:00Z, key [0-9a-f]{16}\)\.\nRecorded as verification /,
          ),
        });
        await db().execute(sql`alter table audit_events disable trigger user`);
        await db().execute(sql`update audit_events set outcome = 'failure' where seq = 8`);
        await db().execute(sql`alter table audit_events enable trigger user`);
      }
      const broken = await bi('audit', 'verify');
      expect(broken.code).toBe(1);
      expect(broken.err).toContain(
        'AUDIT CHAIN BROKEN at event 8 (hash_mismatch): event 8 was modified after it was written.',
      );
      expect(broken.err).toContain('6 events before it verified; head seq 11. 3 checkpoints verified');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
