import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadConfig } from '../server/config.ts';
import { DataDirLockedError, lockDataDir, openDatabase } from '../server/db/client.ts';

/**
 * `bi backup --out <file>` / `bi restore --from <file> [--force]` for the embedded PGlite database: the whole
 * data directory as a .tar.gz, restored into an empty DATA_DIR. Both need the server stopped (the data-directory
 * lock refuses a second process). PostgreSQL is backed up with pg_dump/pg_restore: the commands print the
 * procedure and exit 2 (docs/operations/restore.md).
 */
export const BACKUP_HELP = `  backup --out <file.tar.gz>
                   Embedded PGlite only, server stopped: write the whole database to a .tar.gz file.
  restore --from <file.tar.gz> [--force]
                   Embedded PGlite only, server stopped: load a backup into an empty DATA_DIR (--force moves an
                   existing database aside to pglite.replaced-<time> first). On PostgreSQL both commands print
                   the pg_dump/pg_restore procedure and exit 2.
`;

type Out = (line: string) => void;

const POSTGRES_PROCEDURE = `This deployment uses PostgreSQL: back it up and restore it with the PostgreSQL tools, not bi.
  Backup:   pg_dump --format=custom --no-owner --file=bi-$(date +%Y%m%dT%H%M%SZ).dump "$DATABASE_URL"
  Restore:  stop the app (scale the Deployment to 0), create an empty database, then
            pg_restore --no-owner --exit-on-error --dbname="$NEW_DATABASE_URL" bi-<time>.dump
            bi migrate status; bi audit verify; point DATABASE_URL at it and scale back up.
See docs/operations/restore.md.`;

export async function backupCli(
  command: 'backup' | 'restore',
  argv: string[],
  out: Out,
  err: Out,
  env?: NodeJS.ProcessEnv,
): Promise<number> {
  let values: { out?: string | undefined; from?: string | undefined; force?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { out: { type: 'string' }, from: { type: 'string' }, force: { type: 'boolean' } },
    }));
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n\nUsage:\n${BACKUP_HELP}`);
    return 2;
  }
  const config = loadConfig(env);
  if (config.database.kind !== 'pglite') {
    err(POSTGRES_PROCEDURE);
    return 2;
  }
  const dataDir = config.database.dataDir;
  try {
    if (command === 'backup') {
      if (!values.out) {
        err(`backup needs --out <file.tar.gz>.\n\n${BACKUP_HELP}`);
        return 2;
      }
      return await backup(dataDir, values.out, out, err);
    }
    if (!values.from) {
      err(`restore needs --from <file.tar.gz>.\n\n${BACKUP_HELP}`);
      return 2;
    }
    return await restore(dataDir, values.from, values.force === true, out, err);
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      err(e.message);
      return 75;
    }
    throw e;
  }
}

/** Where openDatabase keeps the PGlite files inside DATA_DIR. */
const pgliteDir = (dataDir: string) => path.join(path.resolve(dataDir), 'pglite');
const hasDatabase = (dataDir: string) =>
  existsSync(pgliteDir(dataDir)) && readdirSync(pgliteDir(dataDir)).length > 0;

async function backup(dataDir: string, file: string, out: Out, err: Out): Promise<number> {
  if (!hasDatabase(dataDir)) {
    err(`There is no database in ${path.resolve(dataDir)} to back up.`);
    return 1;
  }
  // Takes the data-directory lock: refuses while the server runs (DataDirLockedError).
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const dump = await database.dumpDataDir?.();
    if (!dump) throw new Error('PGlite could not dump its data directory');
    const gz = gzipSync(Buffer.from(await dump.arrayBuffer()));
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    const partial = `${file}.partial`;
    await writeFile(partial, gz, { mode: 0o600 });
    await rename(partial, file);
    out(`Backup written: ${path.resolve(file)} (${gz.length} bytes) from ${path.resolve(dataDir)}.`);
    // Development secrets next to the database are not in the backup (they are secrets; restore.md).
    const secrets = ['dev-session-secret', 'audit-signing-key.pem'].filter((f) =>
      existsSync(path.join(dataDir, f)),
    );
    if (secrets.length > 0)
      out(`Not included (secrets): ${secrets.join(', ')} in DATA_DIR. Keep them with the backup, apart.`);
    return 0;
  } finally {
    await database.close();
  }
}

async function restore(dataDir: string, file: string, force: boolean, out: Out, err: Out): Promise<number> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const release = await lockDataDir(dir);
  try {
    if (hasDatabase(dir)) {
      if (!force) {
        err(
          `${dir} already holds a database; restore only loads into an empty DATA_DIR. ` +
            'Use another DATA_DIR, or --force to move the existing database aside.',
        );
        return 1;
      }
      const aside = `${pgliteDir(dir)}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(pgliteDir(dir), aside);
      out(`Existing database moved to ${aside}.`);
    }
    let tar: Buffer;
    try {
      const raw = await readFile(file);
      tar = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    } catch (e) {
      err(`Cannot read the backup ${file}: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
    // Loaded here, not with the CLI: every other command (and `bi serve` on PostgreSQL) starts without PGlite.
    const [{ PGlite }, { pg_trgm }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
    ]);
    const client = new PGlite(pgliteDir(dir), {
      extensions: { pg_trgm },
      loadDataDir: new Blob([new Uint8Array(tar)]),
    });
    try {
      await client.waitReady;
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from information_schema.tables where table_schema = 'public'",
      );
      out(`Restored ${path.resolve(file)} into ${dir}: ${rows[0]?.n ?? 0} tables.`);
      out('Next: bi migrate status, then bi audit verify, before starting the server.');
    } finally {
      await client.close();
    }
    return 0;
  } finally {
    await release();
  }
}
