import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { type Database, queryRows } from './client.ts';

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary, stable key: only one process migrates a PostgreSQL database at a time. */
const MIGRATION_LOCK_KEY = 4_217_730_001;

/** Apply pending migrations. Safe to run from several replicas at once (PostgreSQL advisory lock). */
export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
    return;
  }
  await database.withConnection(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migratePg(db as unknown as NodePgDatabase, config);
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

export interface MigrationStatus {
  expected: number;
  applied: number;
  current: boolean;
  pending: string[];
}

/** Whether every migration this code ships has been applied (readiness; N-1 code may run on schema N). */
let shipped: ReturnType<typeof readMigrationFiles> | null = null;

export async function migrationStatus(database: Database): Promise<MigrationStatus> {
  shipped ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const files = shipped;
  let appliedMillis: number[] = [];
  try {
    const rows = await queryRows<{ created_at: string | number }>(
      database.db,
      sql`select created_at from drizzle.__drizzle_migrations`,
    );
    appliedMillis = rows.map((r) => Number(r.created_at));
  } catch {
    appliedMillis = [];
  }
  const newest = appliedMillis.length > 0 ? Math.max(...appliedMillis) : 0;
  const pending = files.filter((f) => f.folderMillis > newest).map((f) => String(f.folderMillis));
  return { expected: files.length, applied: appliedMillis.length, current: pending.length === 0, pending };
}
