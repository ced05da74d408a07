import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/server/config.ts';
import { type Database, openDatabase } from '../../src/server/db/client.ts';
import { migrateDatabase } from '../../src/server/db/migrate.ts';

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
    const database = await openDatabase({ kind: 'pglite-memory' });
    if (options.migrate !== false) await migrateDatabase(database);
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
