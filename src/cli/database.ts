import type { Config } from '../server/config.ts';
import { type Database, openDatabase } from '../server/db/client.ts';

/**
 * Open the configured database for one CLI command and close it afterwards. `asOwner`: without
 * DATABASE_RUNTIME_ROLE, for commands that change the schema or switch a trigger (migrate, seed, audit prune): the
 * runtime role may read and write rows but not create tables or touch audit rows.
 */
export async function withDatabase<T>(
  config: Config,
  work: (db: Database) => Promise<T>,
  options: { asOwner?: boolean } = {},
): Promise<T> {
  const target =
    options.asOwner && config.database.kind === 'postgres'
      ? { ...config.database, runtimeRole: undefined }
      : config.database;
  const database = await openDatabase(target);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
