import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort, SESSION_SECRET } from '../helpers/stack.ts';

/**
 * Graceful shutdown of real server processes (node src/server/main.ts), as Kubernetes terminates a pod during
 * a rolling update. On PostgreSQL: two processes behind a round-robin proxy that, like an ingress, stops
 * routing to a backend whose /readyz fails (polled every 100 ms) and retries nothing; one is terminated under
 * load and not one request fails. On PGlite (one process per data directory): SIGTERM during slow requests.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups) await cleanup();
});

interface Backend {
  name: string;
  port: number;
  child: ChildProcess;
  exit: Promise<number | null>;
  output: () => string;
  ready: boolean;
  /** Every /readyz status the proxy saw (0 = no answer). */
  readyz: number[];
}

async function startBackend(name: string, env: Record<string, string>): Promise<Backend> {
  const [port, idpPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['src/server/main.ts'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DEV_IDP_PORT: String(idpPort),
      METRICS_PORT: '0',
      JOBS: 'external',
      LOG_LEVEL: 'info',
      DEMO_DATA: 'off',
      SESSION_SECRET,
      // The drain delay is a fifth of this: 1 s between readiness turning false and the listener closing.
      SHUTDOWN_GRACE_MS: '5000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const backend: Backend = { name, port, child, exit, output: () => output, ready: false, readyz: [] };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return backend;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`server ${name} did not become ready:\n${output}`);
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding'];
const endToEnd = (headers: http.IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.includes(k)));

/**
 * A round-robin reverse proxy with keep-alive upstream connections. `x-route-to: <name>` pins a request to a
 * backend (to put slow requests on the one that is terminated). Answers x-backend and x-upstream-connection.
 */
async function startProxy(backends: Backend[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
  const probing = new Set<Backend>();
  const poll = setInterval(() => {
    for (const b of backends) {
      if (probing.has(b)) continue;
      probing.add(b);
      fetch(`http://127.0.0.1:${b.port}/readyz`, { signal: AbortSignal.timeout(1000) })
        .then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        })
        .catch(() => 0)
        .then((status) => {
          b.ready = status === 200;
          b.readyz.push(status);
          probing.delete(b);
        });
    }
  }, 100);
  for (const b of backends) b.ready = true;
  let next = 0;
  const server = http.createServer((req, res) => {
    const healthy = backends.filter((b) => b.ready);
    const pinned = healthy.find((b) => b.name === req.headers['x-route-to']);
    const backend = pinned ?? healthy[next++ % Math.max(healthy.length, 1)];
    if (!backend) {
      res.writeHead(502).end('no ready backend');
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: endToEnd(req.headers),
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, {
          ...endToEnd(up.headers),
          'x-backend': backend.name,
          'x-upstream-connection': String(up.headers.connection),
        });
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'x-backend': backend.name });
      res.end(`upstream error: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    clearInterval(poll);
    agent.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return { url, close };
}

interface Outcome {
  status: number;
  backend: string | null;
  at: number;
  error?: string;
}

/** One client: GET /healthz, think 150 ms, again, until `until` (under the probe rate limit for 20 clients). */
async function fastClient(base: string, until: number, out: Outcome[]) {
  while (Date.now() < until) {
    const at = Date.now();
    try {
      const r = await fetch(`${base}/healthz`);
      await r.arrayBuffer();
      out.push({ status: r.status, backend: r.headers.get('x-backend'), at });
    } catch (e) {
      out.push({ status: 0, backend: null, at, error: String(e) });
    }
    await sleep(150);
  }
}

/** A real slow request: a back-channel logout whose body arrives in 25 pieces over 2.5 s (answer: 400). */
function slowRequest(base: string, headers: Record<string, string> = {}) {
  const pieces = ['logout_token=', ...Array.from({ length: 25 }, () => 'x'.repeat(100))];
  const body = pieces.join('');
  return new Promise<{
    status: number;
    at?: number;
    backend?: string;
    upstreamConnection?: string;
    connection?: string;
  }>((resolve) => {
    const req = http.request(`${base}/auth/backchannel-logout`, {
      method: 'POST',
      agent: false,
      headers: {
        ...headers,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          at: Date.now(),
          backend: res.headers['x-backend'] as string | undefined,
          upstreamConnection: res.headers['x-upstream-connection'] as string | undefined,
          connection: res.headers.connection,
        }),
      );
    });
    req.on('error', () => resolve({ status: 0 }));
    void (async () => {
      for (const piece of pieces) {
        req.write(piece);
        await sleep(100);
      }
      req.end();
    })();
  });
}

const SHUTDOWN_LOGGED = /shutting down: draining requests[\s\S]*shutdown complete/;

// Two processes need one shared database: this test exists in the PostgreSQL run of the suite (CI runs both).
const sharedDatabase = Boolean(process.env.DATABASE_URL);
const describeWithSharedDatabase = sharedDatabase ? describe : () => {};

describeWithSharedDatabase('rolling termination of two processes behind a proxy', () => {
  it('answers every request while one process is terminated under load', async () => {
    const db: TestDatabase = await createTestDatabase();
    cleanups.push(() => db.drop());
    const env = { DATABASE_URL: db.url ?? '' };
    const [a, b] = await Promise.all([startBackend('a', env), startBackend('b', env)]);
    const proxy = await startProxy([a, b]);
    cleanups.unshift(() => proxy.close());

    const start = Date.now();
    const outcomes: Outcome[] = [];
    const load = Promise.all(Array.from({ length: 20 }, () => fastClient(proxy.url, start + 5000, outcomes)));
    await sleep(2000);
    const slow = Promise.all(['a', 'a', 'b', 'b'].map((to) => slowRequest(proxy.url, { 'x-route-to': to })));
    await sleep(500);
    const sigtermAt = Date.now();
    a.child.kill('SIGTERM');
    await load;
    const slowOutcomes = await slow;
    const code = await a.exit;

    const failed = outcomes.filter((o) => o.status !== 200);
    expect(failed).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(300);
    // Slow requests in flight on the terminated process finished, and it asked the proxy to close that connection.
    expect(slowOutcomes.map((o) => [o.backend, o.status])).toEqual([
      ['a', 400],
      ['a', 400],
      ['b', 400],
      ['b', 400],
    ]);
    const slowOnA = slowOutcomes.filter((o) => o.backend === 'a');
    expect(slowOnA.map((o) => o.upstreamConnection)).toEqual(['close', 'close']);
    // …after its listener had closed (SIGTERM + the 1 s drain delay).
    for (const o of slowOnA) expect(o.at).toBeGreaterThan(sigtermAt + 1000);
    expect(code).toBe(0);
    expect(a.output()).toMatch(SHUTDOWN_LOGGED);
    // Readiness failed (503) before the listener closed, and the other process took the rest of the load.
    expect(a.readyz).toContain(503);
    const afterwards = outcomes.filter((o) => o.at > sigtermAt + 1500);
    expect(afterwards.length).toBeGreaterThan(50);
    expect(afterwards.every((o) => o.backend === 'b')).toBe(true);
    expect(outcomes.some((o) => o.backend === 'a')).toBe(true);

    b.child.kill('SIGTERM');
    expect(await b.exit).toBe(0);
  }, 60_000);
});

// One process on its own embedded database: in both runs of the suite (its env never names DATABASE_URL).
describe('graceful shutdown of one process (embedded database)', () => {
  it('turns unready, finishes slow requests in flight, closes idle connections and exits 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bi-shutdown-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startBackend('single', { DATA_DIR: dataDir });
    const base = `http://127.0.0.1:${server.port}`;
    // An idle keep-alive connection must not hold the process open.
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) =>
      http.get(`${base}/healthz`, { agent }, (r) => r.resume().on('end', resolve)),
    );

    const slow = Promise.all([slowRequest(base), slowRequest(base), slowRequest(base)]);
    await sleep(500);
    server.child.kill('SIGTERM');
    await sleep(300);
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ status: 'not_ready', checks: { draining: true } });
    expect(readyz.headers.get('connection')).toBe('close');

    expect((await slow).map((o) => [o.status, o.connection])).toEqual([
      [400, 'close'],
      [400, 'close'],
      [400, 'close'],
    ]);
    expect(await server.exit).toBe(0);
    expect(server.output()).toMatch(SHUTDOWN_LOGGED);
    agent.destroy();
  }, 60_000);
});
