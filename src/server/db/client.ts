import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** A database or a transaction: repos accept either, so a service decides the transaction boundary. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string }
  /** In memory; `from` starts it from a data directory dumped by `dumpDataDir` (tests reuse one migrated copy). */
  | { kind: 'pglite-memory'; from?: Blob }
  | { kind: 'postgres'; url: string; poolMax: number };

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** A dedicated connection for work that must hold a session-level lock (migrations). */
  withConnection<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** PGlite only: the whole data directory as a tarball (`pglite-memory` can start from it). */
  dumpDataDir?: () => Promise<Blob | File>;
  close(): Promise<void>;
}

export class DataDirLockedError extends Error {
  constructor(dir: string) {
    super(
      `Another Builder Insights process is already using the data directory ${path.resolve(dir)}. ` +
        'Stop that process first, or set DATA_DIR to a different directory. ' +
        '(The embedded PGlite database cannot be shared between processes.)',
    );
    this.name = 'DataDirLockedError';
  }
}

/** Extensions the migrations create (pg_trgm for duplicate detection); PGlite must load them at start. */
const PGLITE_EXTENSIONS = { pg_trgm };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target.url, target.poolMax);
  if (target.kind === 'pglite-memory')
    return wrapPglite(
      new PGlite({ extensions: PGLITE_EXTENSIONS, ...(target.from ? { loadDataDir: target.from } : {}) }),
      async () => {},
    );

  const dir = path.resolve(target.dataDir);
  mkdirSync(dir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: path.join(dir, 'builder-insights.lock'),
      stale: 15_000,
      retries: 0,
      onCompromised: (err) => {
        // Someone removed or took our lock: continuing could corrupt the database.
        console.error(`Data directory lock lost (${err.message}); exiting to protect the database.`);
        process.exit(70);
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dir);
    throw err;
  }
  try {
    const client = new PGlite(path.join(dir, 'pglite'), { extensions: PGLITE_EXTENSIONS });
    await client.waitReady;
    return wrapPglite(client, release);
  } catch (err) {
    await release();
    throw err;
  }
}

function wrapPglite(client: PGlite, release: () => Promise<void>): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    // PGlite is a single connection: every query already runs on it.
    withConnection: (work) => work(db),
    dumpDataDir: () => client.dumpDataDir('none'),
    async close() {
      await client.close();
      await release();
    },
  };
}

function openPostgres(url: string, poolMax: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolMax, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) => console.error(`PostgreSQL pool error: ${err.message}`));
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async withConnection(work) {
      const conn = await pool.connect();
      try {
        return await work(drizzlePg({ client: conn, schema }) as unknown as Db);
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Run raw SQL and return its rows, the same on both drivers. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
