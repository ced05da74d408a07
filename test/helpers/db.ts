import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/server/config.ts';
import { type Database, openDatabase } from '../../src/server/db/client.ts';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../src/server/db/migrate.ts';

export interface TestDatabase {
  database: Database;
  /** The connection string of this test's own PostgreSQL database (undefined on PGlite). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** Which database the suite runs on: PGlite always, PostgreSQL when DATABASE_URL is set (CI runs both). */
export function suiteDatabase(): { kind: 'pglite' } | { kind: 'postgres'; url: string } {
  const db = loadConfig(process.env).database;
  return db.kind === 'postgres' ? { kind: 'postgres', url: db.url } : { kind: 'pglite' };
}

/** A fresh, migrated database for one test file: PGlite in memory, or a new PostgreSQL database. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const target = suiteDatabase();
  if (target.kind === 'pglite') {
    const database =
      options.migrate === false
        ? await openDatabase({ kind: 'pglite-memory' })
        : await openDatabase({ kind: 'pglite-memory', from: await migratedTemplate() });
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `bi_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(target.url);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.href, poolMax: 5 });
  if (options.migrate !== false) await migrateDatabase(database);
  return {
    database,
    url: url.href,
    async drop() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: target.url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * A migrated PGlite data directory, made once per set of migrations and shared by every test file (each file
 * then starts from a copy in a few hundred milliseconds instead of running the migrations for seconds). Keyed
 * by a hash of the migration files, so a new or edited migration makes a new template; written to a temporary
 * name and renamed, so two workers making it at once never read half a file. (test/db/schema.test.ts and the CLI
 * tests still run the migrations themselves.)
 */
async function migratedTemplate(): Promise<Blob> {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort())
    if (file.endsWith('.sql') || file.endsWith('.json'))
      hash.update(file).update(readFileSync(path.join(MIGRATIONS_FOLDER, file)));
  const file = path.join(tmpdir(), `bi-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const database = await openDatabase({ kind: 'pglite-memory' });
    await migrateDatabase(database);
    const dump = await database.dumpDataDir?.();
    await database.close();
    if (!dump) throw new Error('PGlite could not dump its data directory');
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  }
}
