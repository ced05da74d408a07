import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import lockfile from 'proper-lockfile';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/server/db/client.ts';
import { cliRunner } from '../helpers/cli.ts';

/** bi backup / bi restore on the embedded PGlite default: a file-backed DATA_DIR in tmpdir, never PostgreSQL. */
const root = mkdtempSync(path.join(tmpdir(), 'bi-backup-'));
const source = path.join(root, 'source');
const target = path.join(root, 'target');
const file = path.join(root, 'backup.tar.gz');
let dataDir = source;
const bi = cliRunner(() => ({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) }));

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function counts(dir: string) {
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    const [row] = await queryRows<{ people: number; insights: number; audit: number }>(
      database.db,
      sql`select (select count(*)::int from people) as people, (select count(*)::int from insights) as insights,
                 (select count(*)::int from audit_events) as audit`,
    );
    return row;
  } finally {
    await database.close();
  }
}

describe('bi backup / bi restore (PGlite)', () => {
  // The CLI here always runs on a file-backed PGlite DATA_DIR (its env never names DATABASE_URL), in both suites.
  it('backs up a seeded database and restores it into an empty DATA_DIR with an intact audit chain', async () => {
    expect(await bi('seed')).toMatchObject({ code: 0 });
    const before = await counts(source);
    expect(before?.people).toBeGreaterThan(0);

    expect(await bi('backup', '--out', file)).toMatchObject({
      code: 0,
      out: expect.stringContaining(file),
    });

    dataDir = target;
    expect(await bi('restore', '--from', file)).toMatchObject({ code: 0 });
    expect(await counts(target)).toEqual(before);
    expect(await bi('migrate', 'status')).toMatchObject({ code: 0 });
    expect(await bi('audit', 'verify')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Audit chain intact'),
    });

    // A DATA_DIR that already holds a database is refused unless --force (which moves it aside).
    expect(await bi('restore', '--from', file)).toMatchObject({
      code: 1,
      err: expect.stringContaining('already holds a database'),
    });
    expect(await bi('restore', '--from', file, '--force')).toMatchObject({
      code: 0,
      out: expect.stringContaining('moved to'),
    });
    expect(await counts(target)).toEqual(before);
  }, 60_000);

  it('refuses while another process holds the data directory, and prints the PostgreSQL procedure', async () => {
    // Another process's lock on a DATA_DIR that holds a database (as the running server has).
    dataDir = path.join(root, 'held');
    mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
    writeFileSync(path.join(dataDir, 'pglite', 'PG_VERSION'), '17\n');
    const release = await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, 'builder-insights.lock'),
    });
    try {
      expect(await bi('backup', '--out', path.join(root, 'other.tar.gz'))).toMatchObject({
        code: 75,
        err: expect.stringContaining('already using the data directory'),
      });
    } finally {
      await release();
    }
    const pg = cliRunner(() => ({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      SESSION_SECRET: 'x'.repeat(40),
    }));
    expect(await pg('backup', '--out', file)).toMatchObject({
      code: 2,
      err: expect.stringContaining('pg_dump'),
    });
    expect(await pg('restore', '--from', file)).toMatchObject({
      code: 2,
      err: expect.stringContaining('pg_restore'),
    });
  });
});
