import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db/client.ts';
import { auditArchives, auditEvents } from '../../src/server/db/schema.ts';
import { archiveAuditEvents } from '../../src/server/modules/audit/audit.archive.ts';
import { createCheckpoint } from '../../src/server/modules/audit/audit.checkpoints.ts';
import {
  checkSignature,
  generateSigningKeyPem,
  parseSigningKey,
  verifyKeysFrom,
} from '../../src/server/modules/audit/audit.keys.ts';
import { archivePayload } from '../../src/server/modules/audit/audit.manifest.ts';
import { toOcsf } from '../../src/server/modules/audit/audit.ocsf.ts';
import { PruneRefusedError, planPrune, pruneArchived } from '../../src/server/modules/audit/audit.prune.ts';
import { audit } from '../../src/server/modules/audit/audit.service.ts';
import { verifyAuditChain } from '../../src/server/modules/audit/audit.verify.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { cliRunner } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * Retention: events older than the hot period are archived as signed OCSF JSON Lines segments, pruned from the
 * database only when each archive file still has its recorded SHA-256, and the verifier then starts from the
 * last pruned archive's hash.
 */
let test: TestDatabase;
let archiveDir: string;
const db = () => test.database.db;
const ctx = systemContext('test');
const pem = generateSigningKeyPem();
const key = parseSigningKey(pem);
const keys = verifyKeysFrom(key, {});
const HOT_DAYS = 30;
// "Now" for the archive job: every event written by this test is older than the hot period.
const later = () => new Date(Date.now() + (HOT_DAYS + 1) * 86_400_000);

async function append(n: number) {
  await db().transaction(async (tx) => {
    for (let i = 0; i < n; i += 1)
      await audit(tx, ctx, { action: 'demo.seeded', details: { people: i, events: 0, insights: 0 } });
  });
}

const archive = (segmentMax: number) =>
  archiveAuditEvents({
    db: db(),
    key,
    archiveDir,
    hotDays: HOT_DAYS,
    productVersion: '9.9.9',
    now: later(),
    segmentMax,
  });

const eventCount = async (tx: Db = db()) => (await tx.select({ n: count() }).from(auditEvents))[0]?.n;

beforeAll(async () => {
  test = await createTestDatabase();
  archiveDir = mkdtempSync(path.join(tmpdir(), 'bi-audit-archive-'));
  await append(9);
  await createCheckpoint(db(), key, new Date());
});
afterAll(async () => {
  await test?.drop();
  rmSync(archiveDir, { recursive: true, force: true });
});

describe('audit retention', () => {
  it('archives old events into signed segments whose files hold exactly those events', async () => {
    // Nothing is old yet at the real "now".
    expect(
      await archiveAuditEvents({
        db: db(),
        key,
        archiveDir,
        hotDays: HOT_DAYS,
        productVersion: '9.9.9',
        now: new Date(),
      }),
    ).toMatchObject({ segments: [] });
    const result = await archive(4);
    expect(result.segments).toEqual([
      { firstSeq: 1, lastSeq: 4, events: 4 },
      { firstSeq: 5, lastSeq: 8, events: 4 },
      { firstSeq: 9, lastSeq: 9, events: 1 },
    ]);
    expect(readdirSync(archiveDir).sort()).toEqual([
      'audit-events-000000000001-000000000004.ocsf.jsonl',
      'audit-events-000000000005-000000000008.ocsf.jsonl',
      'audit-events-000000000009-000000000009.ocsf.jsonl',
    ]);
    const rows = await db().select().from(auditEvents).orderBy(asc(auditEvents.seq));
    const manifests = await db().select().from(auditArchives).orderBy(asc(auditArchives.firstSeq));
    expect(manifests).toHaveLength(3);
    const [first] = manifests;
    if (!first) throw new Error('no archive');
    const bytes = readFileSync(first.location);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(first.sha256);
    expect(checkSignature(keys, first.keyId, archivePayload(first), first.signature)).toBe('valid');
    const lines = bytes
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(rows.slice(0, 4).map((r) => JSON.parse(JSON.stringify(toOcsf(r, '9.9.9')))));
    expect(first).toMatchObject({ firstPrevHash: '0'.repeat(64), lastHash: rows[3]?.hash, eventCount: 4 });
    // The job's own `audit.archived` events (10-12) wait for the next run.
    expect(rows.slice(9).map((r) => r.action)).toEqual([
      'audit.archived',
      'audit.archived',
      'audit.archived',
    ]);
    expect(await verifyAuditChain(db(), { keys })).toMatchObject({ ok: true, checked: 12, anchor: null });
  });

  it('refuses to prune when an archive file was changed or is missing, and deletes nothing', async () => {
    const manifests = await db().select().from(auditArchives).orderBy(asc(auditArchives.firstSeq));
    const [first, second] = manifests.map((m) => m.location);
    if (!first || !second) throw new Error('no archives');
    const original = readFileSync(first);
    writeFileSync(first, original.toString('utf8').replace('"people":0', '"people":5'));
    renameSync(second, `${second}.moved`);
    try {
      const plan = await planPrune(db(), keys);
      expect(plan.map((p) => p.problem)).toEqual([
        expect.stringMatching(/has SHA-256 [0-9a-f]{64}, not the recorded/),
        expect.stringContaining('is missing'),
        null,
      ]);
      await expect(pruneArchived(db(), keys, ctx, new Date())).rejects.toThrow(PruneRefusedError);
      expect(await eventCount()).toBe(12);
    } finally {
      writeFileSync(first, original);
      renameSync(`${second}.moved`, second);
    }
  });

  it('prunes archived events in one transaction; the verifier then starts from the archive anchor', async () => {
    const pruned = await pruneArchived(db(), keys, ctx, new Date());
    expect(pruned.map((a) => [a.firstSeq, a.lastSeq])).toEqual([
      [1, 4],
      [5, 8],
      [9, 9],
    ]);
    const rows = await db().select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(rows.map((r) => r.seq)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(rows.slice(3).map((r) => r.action)).toEqual(['audit.pruned', 'audit.pruned', 'audit.pruned']);
    // The append-only trigger is on again.
    await expect(db().execute(sql`delete from audit_events where seq = 10`)).rejects.toThrow();
    const [last] = await db().select().from(auditArchives).where(eq(auditArchives.firstSeq, 9));
    // The checkpoint at event 9 is below the anchor: its signature and chain are still checked.
    expect(await verifyAuditChain(db(), { keys })).toMatchObject({
      ok: true,
      checked: 6,
      checkpointsChecked: 1,
      anchor: { seq: 9, hash: last?.lastHash },
    });
    expect(await planPrune(db(), keys)).toEqual([]);
  });

  it('detects a changed archive record and events deleted below the anchor', async () => {
    const check = async (work: (tx: Db) => Promise<unknown>) => {
      let result: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
      await db()
        .transaction(async (tx) => {
          await tx.execute(sql`alter table audit_events disable trigger user`);
          await work(tx);
          result = await verifyAuditChain(tx, { keys });
          throw new Error('rollback');
        })
        .catch(() => {});
      return result;
    };
    // Moving the anchor so that deleted events look pruned: the manifest signature gives it away.
    expect(
      await check(async (tx) => {
        await tx.execute(sql`delete from audit_events where seq <= 11`);
        const [row] = await tx.select().from(auditEvents).where(eq(auditEvents.seq, 12));
        await tx
          .update(auditArchives)
          .set({ lastSeq: 11, lastHash: row?.prevHash ?? '' })
          .where(eq(auditArchives.firstSeq, 9));
      }),
    ).toMatchObject({ ok: false, problem: { seq: 9, kind: 'archive_invalid' } });
    // An event below the anchor (an archive record marked pruned while its events are still there, or put back).
    expect(
      await check((tx) =>
        tx.execute(sql`insert into audit_events (seq, id, occurred_at, action, outcome, target_type, details, prev_hash, hash)
          overriding system value select 7, gen_random_uuid(), occurred_at, action, outcome, target_type, details, prev_hash, hash
          from audit_events where seq = 10`),
      ),
    ).toMatchObject({ ok: false, problem: { seq: 7, kind: 'archive_invalid' } });
    // Deleting the first events after the anchor.
    expect(await check((tx) => tx.execute(sql`delete from audit_events where seq = 10`))).toMatchObject({
      ok: false,
      problem: { seq: 11, kind: 'broken_link' },
    });
  });

  it('bi audit export writes OCSF JSON Lines to a file; bi audit prune has nothing left to prune', async () => {
    if (!test.url) return; // The CLI opens its own database: covered on PostgreSQL (PGlite: see audit-tamper).
    const env = {
      DATA_DIR: archiveDir,
      DATABASE_URL: test.url,
      AUDIT_SIGNING_KEY: pem,
      AUDIT_ARCHIVE_DIR: archiveDir,
    };
    const bi = cliRunner(() => env);
    const file = path.join(archiveDir, 'export.jsonl');
    expect(await bi('audit', 'export', '--out', file)).toMatchObject({
      code: 0,
      out: `Exported 6 events (through seq 15) to ${file}.`,
    });
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.metadata.sequence)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(await bi('audit', 'prune')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Nothing to prune'),
    });
    expect(await bi('audit', 'export', '--from', '2030-01-02', '--to', '2030-01-01')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--to: must be after from'),
    });
  });
});
