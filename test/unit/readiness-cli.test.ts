import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../../src/contract/api/readiness.ts';
import { loadConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { auditEvents, readinessRecords, readinessSnapshots, risks } from '../../src/server/db/schema.ts';
import { cliRunner } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { type ExternalStub, passingEnv, seedPassingState, startExternalStub } from '../helpers/readiness.ts';

/** `bi readiness` as a deployment gate, `bi readiness record` and `bi verify-deployment --record`, on a real database. */
let dataDir: string;
let pgTest: TestDatabase | null = null;
let stub: ExternalStub;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'bi-readiness-cli-'));
  stub = await startExternalStub();
  env = { ...passingEnv(stub, dataDir), SESSION_SECRET: 'x'.repeat(40) };
  if (process.env.DATABASE_URL) {
    pgTest = await createTestDatabase({ migrate: false });
    env.DATABASE_URL = pgTest.url ?? '';
  }
});
afterAll(async () => {
  await stub?.close();
  await pgTest?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const bi = cliRunner(() => env);

async function withDb<T>(
  work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(
    env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL, poolMax: 1 } : { kind: 'pglite', dataDir },
  );
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

describe('bi readiness', () => {
  it('usage errors exit 2', async () => {
    expect((await bi('readiness', 'bogus')).code).toBe(2);
    expect((await bi('readiness', '--frobnicate')).code).toBe(2);
    const badEnv = await bi('readiness', 'record', 'rollback-drill', '--env', 'moon', '--outcome', 'passed');
    expect(badEnv).toMatchObject({ code: 2, err: expect.stringContaining('--env') });
    expect((await bi('readiness', 'record', 'fire-drill', '--env', 'dev', '--outcome', 'passed')).code).toBe(
      2,
    );
    const noEnv = await bi('verify-deployment', '--url', stub.base, '--record');
    expect(noEnv).toMatchObject({ code: 2, err: expect.stringContaining('--env') });
  });

  it('exits 1 on no-go, records drills and verifications (audited), exits 0 on go, 1 again with a blocker', async () => {
    expect((await bi('migrate')).code).toBe(0);
    const noGo = await bi('readiness', '--no-snapshot');
    expect(noGo.code).toBe(1);
    expect(noGo.out).toContain('NO-GO');
    expect(noGo.out).toMatch(/FAIL identity\.okta_app_registered \(P0, manual\): Not attested\./);

    // The verification against something that is not our service fails, and is recorded as failed.
    const verify = await bi(
      'verify-deployment',
      '--url',
      stub.base,
      '--metrics-url',
      `${stub.base}/metrics`,
      '--record',
      '--env',
      'staging',
    );
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(/Recorded as the staging deployment verification \(failed/);
    const drill = await bi(
      'readiness',
      'record',
      'rollback-drill',
      '--env',
      'staging',
      '--outcome',
      'passed',
      '--evidence',
      'https://runbooks.example.com/drill/9',
      '--notes',
      'restored N-1 in 6 minutes',
    );
    expect(drill).toMatchObject({
      code: 0,
      out: expect.stringContaining('Recorded rollback-drill in staging: passed'),
    });

    const now = new Date();
    await withDb(async (db) => {
      const rows = await db.select().from(readinessRecords).orderBy(desc(readinessRecords.createdAt));
      expect(rows.map((r) => [r.kind, r.outcome, r.source, r.recordedBy])).toEqual([
        ['rollback_drill', 'passed', 'cli', null],
        ['deployment_verification', 'failed', 'cli', null],
      ]);
      expect(Object.keys(rows[1]?.details ?? {})).toContain('healthz');
      const events = await db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.action, 'readiness.record.added'));
      expect(events).toHaveLength(2);
      expect(events.every((e) => e.actorId === null)).toBe(true);
      await seedPassingState(db, loadConfig({ NODE_ENV: 'test', ...env }), now);
    });
    // The failed verification is newer than the seeded one: still no-go until a passing one is recorded.
    const stillNoGo = await bi('readiness', '--no-snapshot', '--json');
    expect(stillNoGo.code).toBe(1);
    expect((JSON.parse(stillNoGo.out) as ReadinessReport).reasons[0]).toMatch(
      /^runtime\.deployment_verified/,
    );
    expect(
      (await bi('readiness', 'record', 'deployment-verification', '--env', 'staging', '--outcome', 'passed'))
        .code,
    ).toBe(0);

    const go = await bi('readiness');
    expect(go.code, go.out).toBe(0);
    expect(go.out).toMatch(/^Readiness \(staging\) at .*: GO \(22 pass, 0 warn, 0 fail\)/);
    expect(go.out).toMatch(/Snapshot [0-9a-f-]{36} kept\./);
    const asJson = await bi('readiness', '--json');
    const parsed = JSON.parse(asJson.out) as ReadinessReport & { snapshotId: string };
    expect(parsed).toMatchObject({ verdict: 'go', environment: 'staging', snapshotId: expect.any(String) });

    await withDb(async (db) => {
      const snaps = await db.select().from(readinessSnapshots);
      expect(snaps.map((s) => [s.trigger, s.verdict])).toEqual([
        ['cli', 'go'],
        ['cli', 'go'],
      ]);
      const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, parsed.snapshotId));
      expect(event?.action).toBe('readiness.snapshot.created');
      await db.insert(risks).values({
        title: 'Okta tenant pending',
        level: 'blocker',
        status: 'open',
        owner: 'Identity and Security',
      });
    });
    const blocked = await bi('readiness', '--no-snapshot');
    expect(blocked.code).toBe(1);
    expect(blocked.out).toContain('Blocker open: Okta tenant pending');
  }, 120_000); // `bi migrate` on a file-backed PGlite takes ~15 s
});
