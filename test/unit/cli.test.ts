import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/bi.ts';
import { openDatabase, queryRows } from '../../src/server/db/client.ts';
import { cliRunner } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** The CLI against a real database: a file-backed PGlite dir, or this file's own PostgreSQL database. */
let dataDir: string;
let pgTest: TestDatabase | null = null;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'bi-cli-'));
  env = { DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) };
  if (process.env.DATABASE_URL) {
    pgTest = await createTestDatabase({ migrate: false });
    env.DATABASE_URL = pgTest.url ?? '';
  }
});
afterAll(async () => {
  await pgTest?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const bi = cliRunner(() => env);

async function withDb(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<unknown>) {
  const database = await openDatabase(
    env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL, poolMax: 1 } : { kind: 'pglite', dataDir },
  );
  try {
    await work(database);
  } finally {
    await database.close();
  }
}

describe('bi CLI', () => {
  it('migrates, reports status, seeds once, verifies the audit chain, and catches tampering', async () => {
    expect((await bi('migrate', 'status')).code).toBe(1);
    expect(await bi('migrate')).toMatchObject({ code: 0, out: expect.stringContaining('schema is current') });
    expect((await bi('migrate', 'status')).code).toBe(0);

    const seeded = await bi('seed');
    expect(seeded).toMatchObject({ code: 0, out: expect.stringMatching(/14 people, 4 events, 56 insights/) });
    expect(await bi('seed')).toMatchObject({
      code: 1,
      err: expect.stringContaining('only loaded into an empty one'),
    });

    expect(await bi('audit', 'verify')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Audit chain intact: 1 events'),
    });
    await withDb(async (database) => {
      await database.db.execute(sql`alter table audit_events disable trigger user`);
      await database.db.execute(
        sql`update audit_events set details = '{"people":1,"events":0,"insights":0}'`,
      );
      await database.db.execute(sql`alter table audit_events enable trigger user`);
    });
    expect(await bi('audit', 'verify')).toMatchObject({
      code: 1,
      err: expect.stringContaining('AUDIT CHAIN BROKEN at event 1'),
    });
  });

  it('runs scheduled jobs on demand', async () => {
    expect((await bi('jobs', 'list')).out).toMatch(/^cleanup\s+every 15 min/);
    expect(await bi('jobs', 'run', 'cleanup')).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        /^cleanup: \{"sessions":0,"authFlows":0,"rateLimitWindows":0,"logoutTokenIds":0,"usageDays":0,"usageEvents":0,"jobRuns":0\}$/,
      ),
    });
    expect(await bi('jobs', 'run', 'nope')).toMatchObject({
      code: 2,
      err: expect.stringContaining('Known jobs: cleanup'),
    });
  });

  it('explains unknown commands and invalid configuration', async () => {
    expect((await bi('--help')).out).toContain('Usage: npm run bi');
    expect(await bi('frobnicate')).toMatchObject({
      code: 2,
      err: expect.stringContaining('Unknown command'),
    });
    expect((await bi('help')).out).toContain('audit verify');
    await expect(
      runCli(
        ['config', 'check'],
        () => {},
        () => {},
        { PORT: 'abc' },
      ),
    ).rejects.toThrow(/PORT: .*Set PORT to/);
    const check = await bi('config', 'check');
    expect(check.code).toBe(0);
    expect(check.out).not.toContain('x'.repeat(40));
    const rules = JSON.parse(check.out).entitlementRulesBootstrap;
    expect(rules.teamGroupPrefix).toBe('br-team-');
    expect(rules.rules[0]).toMatchObject({
      id: 'R1',
      when: { groupsAny: ['bi-admins'] },
      grant: { role: 'admin' },
    });
  });

  it('refuses to seed a production database', async () => {
    const code = await runCli(
      ['seed'],
      () => {},
      () => {},
      {
        NODE_ENV: 'production',
        OIDC_ISSUER: 'https://example.okta.com',
        OIDC_CLIENT_ID: 'id',
        OIDC_CLIENT_SECRET: 'secret',
        SESSION_SECRET: 'y'.repeat(40),
        PUBLIC_URL: 'https://bi.example.com',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        AUDIT_SIGNING_KEY: 'k'.repeat(64),
      },
    );
    expect(code).toBe(1);
  });
});

describe('bi break-glass', () => {
  const secretOf = (out: string) => /secret:\s+(\S+)/.exec(out)?.[1] ?? '';
  const codeOf = (out: string, at = Date.now()) => {
    const uri = /TOTP URI:\s+(\S+)/.exec(out)?.[1] ?? '';
    return (OTPAuth.URI.parse(uri) as OTPAuth.TOTP).generate({ timestamp: at });
  };

  it('enrols at most two principals, drills without granting access, and revokes', async () => {
    expect((await bi('migrate')).code).toBe(0);
    const first = await bi('break-glass', 'enroll', '--name', 'cli-one');
    expect(first).toMatchObject({ code: 0, out: expect.stringContaining('otpauth://totp/') });
    expect((await bi('break-glass', 'enroll', '--name', 'cli-two')).code).toBe(0);
    expect(await bi('break-glass', 'enroll', '--name', 'cli-three')).toMatchObject({
      code: 1,
      err: expect.stringContaining('already 2 active'),
    });
    expect(await bi('break-glass', 'enroll', '--name', 'Not Valid')).toMatchObject({ code: 1 });
    expect((await bi('break-glass', 'enroll')).code).toBe(2);
    expect((await bi('break-glass', 'frobnicate')).code).toBe(2);
    expect((await bi('break-glass', 'list')).out).toMatch(/cli-one\s+active .*last drill -/);

    const secret = secretOf(first.out);
    const code = codeOf(first.out);
    const drill = await bi('break-glass', 'drill', '--name', 'cli-one', '--secret', secret, '--code', code);
    expect(drill.code).toBe(0);
    expect(drill.out).toContain('secret and code verified');
    expect(drill.out).toContain('dev identity provider');
    expect(drill.out).toMatch(/would open now: no/);
    expect(drill.out).toContain('No session was created');
    // the same code twice is a replay; a wrong secret fails the drill
    expect(
      await bi('break-glass', 'drill', '--name', 'cli-one', '--secret', secret, '--code', code),
    ).toMatchObject({
      code: 1,
      out: expect.stringContaining('code_replayed'),
    });
    expect(
      (await bi('break-glass', 'drill', '--name', 'cli-one', '--secret', 'nope', '--code', code)).out,
    ).toContain('bad_secret');
    expect((await bi('break-glass', 'list')).out).toMatch(/cli-one\s+active .*last drill \d{4}-/);
    await withDb(async (database) => {
      const [sessions] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from sessions`,
      );
      const drills = await queryRows<{ details: { verified: boolean }; actor_break_glass: boolean }>(
        database.db,
        sql`select details, actor_break_glass from audit_events where action = 'break_glass.drilled' order by seq`,
      );
      expect(sessions?.n).toBe(0);
      expect(drills.map((r) => r.details.verified)).toEqual([true, false, false]);
      expect(drills.every((r) => r.actor_break_glass)).toBe(true);
    });

    expect((await bi('break-glass', 'revoke', '--name', 'cli-one')).code).toBe(0);
    expect((await bi('break-glass', 'revoke', '--name', 'cli-one')).code).toBe(1);
    expect((await bi('break-glass', 'list')).out).toMatch(/cli-one\s+revoked/);
    expect((await bi('break-glass', 'enroll', '--name', 'cli-three')).code).toBe(0);
    expect(await bi('break-glass', 'enroll', '--name', 'cli-one')).toMatchObject({
      code: 1,
      err: expect.stringContaining('never reused'),
    });
  });
});
