import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import lockfile from 'proper-lockfile';
import { tracePglite, tracePgPool } from '../observability/db-tracing.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** A database or a transaction: repos accept either, so a service decides the transaction boundary. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string }
  /** In memory; `from` starts it from a data directory dumped by `dumpDataDir` (tests reuse one migrated copy). */
  | { kind: 'pglite-memory'; from?: Blob }
  /** `runtimeRole`: every pooled connection runs `SET ROLE` to it (least privilege; migrations open without it). */
  | { kind: 'postgres'; url: string; poolMax: number; runtimeRole?: string | undefined };

/** How busy the connection pool is (PGlite: one connection, never waiting). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** A dedicated connection for work that must hold a session-level lock (migrations). */
  withConnection<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** PGlite only: the whole data directory as a tarball (`pglite-memory` can start from it). */
  dumpDataDir?: () => Promise<Blob | File>;
  poolStats(): PoolStats;
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

/**
 * A new PGlite with the extensions the migrations create (pg_trgm for duplicate detection), which it must load
 * at start. The driver (half a megabyte of JavaScript and its WebAssembly) is imported only when PGlite is the
 * database, never on PostgreSQL (cold start and memory, docs/performance.md).
 */
async function newPglite(dataDir: string | undefined, options: PGliteOptions = {}): Promise<PGlite> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  // One options object: PGlite ignores its second argument unless the first is a data directory string.
  return new PGlite({ ...options, ...(dataDir === undefined ? {} : { dataDir }), extensions: { pg_trgm } });
}

/**
 * Take the data directory's lock (one process at a time may use a PGlite data directory): the returned function
 * releases it. Throws DataDirLockedError when another process holds it.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dir, {
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
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target.url, target.poolMax, target.runtimeRole);
  if (target.kind === 'pglite-memory')
    return wrapPglite(
      await newPglite(undefined, target.from ? { loadDataDir: target.from } : {}),
      async () => {},
    );

  const dir = path.resolve(target.dataDir);
  mkdirSync(dir, { recursive: true });
  const release = await lockDataDir(dir);
  try {
    const client = await newPglite(path.join(dir, 'pglite'));
    await client.waitReady;
    return await wrapPglite(client, release);
  } catch (err) {
    await release();
    throw err;
  }
}

async function wrapPglite(client: PGlite, release: () => Promise<void>): Promise<Database> {
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  // CLIENT spans for every query inside a traced request or job (observability/db-tracing.ts).
  tracePglite(client);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    // PGlite is a single connection: every query already runs on it.
    withConnection: (work) => work(db),
    dumpDataDir: () => client.dumpDataDir('none'),
    poolStats: () => ({ total: 1, idle: 1, waiting: 0, max: 1 }),
    async close() {
      await client.close();
      await release();
    },
  };
}

async function openPostgres(url: string, poolMax: number, runtimeRole?: string): Promise<Database> {
  if (runtimeRole !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(runtimeRole))
    throw new Error('the runtime role must be a plain PostgreSQL role name');
  // Only the driver of the database in use is loaded (PGlite's is never needed here).
  const [{ default: pg }, { drizzle: drizzlePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: 30_000,
    // `-c role=…` makes every new connection start as the runtime role (SET ROLE at connection start).
    ...(runtimeRole ? { options: `-c role=${runtimeRole}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) => console.error(`PostgreSQL pool error: ${err.message}`));
  // A connection lost while checked out (inside a transaction) emits 'error' on its client; unheard, that
  // error would be an uncaught exception and end the process. The query in flight fails on its own.
  pool.on('connect', (client) =>
    client.on('error', (err) => console.error(`PostgreSQL connection lost: ${err.message}`)),
  );
  tracePgPool(pool, url);
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  // Drizzle's pool transaction never releases its client when BEGIN itself fails (the connection was lost):
  // each such failure would leak one connection until the pool is empty and every request waits forever.
  // Run each transaction on a client checked out here and always released (a broken one is discarded). The
  // per-transaction instance has no relational schema (building it costs ~0.5 ms; transactions use the query
  // builder only, never `tx.query`).
  db.transaction = (async (
    work: Parameters<Db['transaction']>[0],
    config?: Parameters<Db['transaction']>[1],
  ) => {
    const conn = await pool.connect();
    let broken: Error | undefined;
    try {
      return await (drizzlePg({ client: conn }) as unknown as Db).transaction(work, config);
    } catch (err) {
      // The connection itself failed (reset, ended): destroy it rather than hand it out again.
      if (connectionLost(err)) broken = err as Error;
      throw err;
    } finally {
      conn.release(broken);
    }
  }) as Db['transaction'];
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
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: poolMax,
    }),
    close: () => pool.end(),
  };
}

/** Run raw SQL and return its rows, the same on both drivers. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Whether an error (or the one it wraps: drizzle wraps the driver's as `cause`) means the connection is gone:
 * a socket error, the server ending it (SQLSTATE class 08 or 57P01–57P03), or pg's own "terminated" errors.
 */
function connectionLost(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|08...|57P0[123])$/.test(code)) return true;
    if (/Connection terminated|connection error|not queryable/i.test(e.message)) return true;
  }
  return false;
}
