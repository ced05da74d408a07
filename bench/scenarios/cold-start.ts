import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { freePort } from '../../test/helpers/stack.ts';
import type { Scenario } from '../harness.ts';
import { median, processCpuMs, serverEnv, spawnNode, waitFor200 } from '../support/load.ts';

/**
 * Cold start: from spawning `node src/server/main.ts` (migrations already applied, dev identity provider,
 * jobs external) to the first 200 on /readyz. Baseline, alternated with it in the same run: spawning a minimal
 * Node script that imports the database driver, connects, runs SELECT 1 and listens — the floor of starting
 * Node with a database connection. PostgreSQL: `pg`. PGlite: `@electric-sql/pglite` opening the same data
 * directory (with pg_trgm, as the app does), which is most of PGlite's start.
 */

const PG_FLOOR = `
import http from 'node:http';
import pg from 'pg';
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query('select 1');
http.createServer((_req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGINT', () => client.end().finally(() => process.exit(0)));
`;

const PGLITE_FLOOR = `
import http from 'node:http';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
const db = new PGlite(path.join(process.env.DATA_DIR, 'pglite'), { extensions: { pg_trgm } });
await db.query('select 1');
http.createServer((_req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGINT', () => db.close().finally(() => process.exit(0)));
`;

export const coldStart: Scenario = {
  name: 'cold-start',
  description:
    'spawn node src/server/main.ts → first 200 on /readyz, vs node + DB driver + SELECT 1 + listen',
  target: { kind: 'absolute_max', value: 1500, unit: 'ms', note: 'median, PostgreSQL' },
  async run(context) {
    const runs = context.smoke ? 2 : 5;
    const postgres = context.database === 'postgres';
    const testDb = postgres ? await createTestDatabase() : null;
    const dataDir = postgres ? null : mkdtempSync(path.join(tmpdir(), 'bi-bench-cold-'));
    const target: { url: string } | { dataDir: string } = testDb?.url
      ? { url: testDb.url }
      : { dataDir: dataDir ?? '' };
    try {
      const serverCpu: number[] = [];
      const startServer = async () => {
        const { env, port } = await serverEnv(target);
        const t0 = performance.now();
        const proc = spawnNode(['src/server/main.ts'], env, port);
        try {
          const ms = (await waitFor200(`http://127.0.0.1:${port}/readyz`, proc)) - t0;
          serverCpu.push(processCpuMs(proc.child.pid));
          return ms;
        } finally {
          await proc.stop();
        }
      };
      const startFloor = async () => {
        const port = await freePort();
        const env = {
          PORT: String(port),
          ...('url' in target ? { DATABASE_URL: target.url } : { DATA_DIR: target.dataDir }),
        };
        const t0 = performance.now();
        const proc = spawnNode(['--input-type=module', '-e', postgres ? PG_FLOOR : PGLITE_FLOOR], env, port);
        try {
          return (await waitFor200(`http://127.0.0.1:${port}/`, proc)) - t0;
        } finally {
          await proc.stop();
        }
      };
      // PGlite: the first start creates and migrates the data directory; not counted (nor is a first warm-up
      // start on PostgreSQL, which warms the OS file cache the way a deployed image's would be).
      const first = await startServer();
      context.log(
        `first start (not counted${postgres ? '' : ', creates and migrates the data directory'}): ${first.toFixed(0)} ms`,
      );
      await startFloor();
      const ours: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        ours.push(await startServer());
        floor.push(await startFloor());
      }
      const oursMs = median(ours);
      const floorMs = median(floor);
      context.log(
        `server starts ${ours.map((ms) => ms.toFixed(0)).join(', ')} ms (CPU to ready ${serverCpu
          .slice(1)
          .map((ms) => ms.toFixed(0))
          .join(', ')} ms); ` + `floor starts ${floor.map((ms) => ms.toFixed(0)).join(', ')} ms`,
      );
      return {
        ours: oursMs,
        baseline: floorMs,
        unit: 'ms',
        details:
          `median of ${runs} starts (server CPU to ready ${median(serverCpu.slice(1)).toFixed(0)} ms), spawn → /readyz 200 (migrations applied, dev IdP, JOBS=external) vs spawn → ` +
          `node + ${postgres ? 'pg connect' : 'PGlite open of the same data directory'} + SELECT 1 + listen` +
          (postgres ? '' : '; PGlite start is slower: the target is judged on PostgreSQL'),
      };
    } finally {
      await testDb?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
