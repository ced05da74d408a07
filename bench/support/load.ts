import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.ts';
import { people } from '../../src/server/db/schema.ts';
import {
  freePort,
  personFor,
  SESSION_SECRET,
  type Session,
  signIn,
  type TestStack,
} from '../../test/helpers/stack.ts';

/**
 * Shared load generation for the capture scenarios: a keep-alive HTTP client that costs little CPU (the load
 * runs in the same process as the app on a 2-core machine, so a heavy client would flatter every ratio),
 * closed-loop (fixed concurrency) and open-loop (fixed arrival rate) drivers, a pool of signed-in people, and a
 * way to spawn the real server process.
 */

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface Answer {
  status: number;
  body: string;
}

/** A small keep-alive JSON client for one origin. */
export class Client {
  readonly #agent: http.Agent;
  readonly #url: URL;
  constructor(baseUrl: string, sockets = 64) {
    this.#url = new URL(baseUrl);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }
  request(method: string, pathname: string, body?: string, headers: Record<string, string> = {}) {
    return new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        {
          agent: this.#agent,
          host: this.#url.hostname,
          port: this.#url.port,
          method,
          path: pathname,
          headers: {
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  close() {
    this.#agent.destroy();
  }
}

/** Headers a signed-in browser sends with a write: its session cookie and CSRF token. */
export function sessionHeaders(session: Session): Record<string, string> {
  return { cookie: session.jar.header(session.baseUrl), 'x-csrf-token': session.csrf };
}

/** Everyone in the demo workforce who may capture (advocates, managers, admins of Builder Relations). */
export const CAPTURERS = [
  'Ari',
  'Ben',
  'Camila',
  'Jordan',
  'Fatima',
  'Gustav',
  'Hannah',
  'Maya',
  'Erik',
  'Dana',
];

export interface Capturer {
  session: Session;
  headers: Record<string, string>;
  personId: string;
}

/**
 * Sign in every capturer. The write budget is 120 requests a minute per person (RATE.write), so a load above
 * that is spread over people, as a conference hall of advocates would send it.
 */
export async function signInCapturers(
  stack: Pick<TestStack, 'baseUrl' | 'idp' | 'newJar'>,
  /** Where to look up their people ids (null: not needed, personId stays ''). */
  db: Db | null,
  names = CAPTURERS,
): Promise<Capturer[]> {
  const out: Capturer[] = [];
  for (const name of names) {
    const session = await signIn(stack as TestStack, name);
    let personId = '';
    if (db) {
      const [row] = await db
        .select({ id: people.id })
        .from(people)
        .where(eq(people.email, personFor(name).email));
      if (!row) throw new Error(`${name} signed in but has no people row`);
      personId = row.id;
    }
    out.push({ session, headers: sessionHeaders(session), personId });
  }
  return out;
}

/** Start every fixed rate-limit window afresh (PostgreSQL store; the PGlite store is in memory). */
export async function resetRateLimits(db: Db) {
  await db.execute(sql`delete from rate_limits`);
}

/** A capture as the app sends it (an hour old), with a fresh id. */
export function captureBody(i: number) {
  return {
    id: crypto.randomUUID(),
    text: `Bench capture ${i}: the driver's retry docs skip the write-concern case at our scale, and the team lost a day`,
    type: 'feature_request',
    productAreas: ['atlas_vector_search'],
    sentiment: 'neutral',
    priority: 'medium',
    tags: ['bench', 'retries'],
    capturedAt: new Date(Date.now() - 3_600_000).toISOString(),
  };
}

export interface LoopResult {
  /** Milliseconds per request, one per request, in completion order. */
  latencies: number[];
  elapsedMs: number;
  failures: number;
  firstFailure: string | null;
}

/** `n` requests with `concurrency` in flight at all times. `send(i)` resolves to whether it succeeded. */
export async function closedLoop(
  n: number,
  concurrency: number,
  send: (i: number) => Promise<Answer>,
  ok: (answer: Answer) => boolean,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  const started = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      const answer = await send(i);
      latencies.push(performance.now() - t0);
      if (!ok(answer)) {
        failures += 1;
        firstFailure ??= `${answer.status} ${answer.body.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, elapsedMs: performance.now() - started, failures, firstFailure };
}

/**
 * Open loop: requests start at a fixed rate whatever the answers do; latency runs from the request's scheduled
 * start (no coordinated omission: a stall shows in every request that should have started during it).
 */
export async function openLoop(
  ratePerSecond: number,
  durationMs: number,
  send: (i: number) => Promise<Answer>,
  ok: (answer: Answer) => boolean,
): Promise<LoopResult> {
  const n = Math.round((ratePerSecond * durationMs) / 1000);
  const interval = 1000 / ratePerSecond;
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < n; i += 1) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(
      send(i).then((answer) => {
        latencies.push(performance.now() - due);
        if (!ok(answer)) {
          failures += 1;
          firstFailure ??= `${answer.status} ${answer.body.slice(0, 200)}`;
        }
      }),
    );
  }
  await Promise.all(inflight);
  return { latencies, elapsedMs: performance.now() - started, failures, firstFailure };
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SpawnedProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exit: Promise<number | null>;
  /** SIGINT (no drain delay) and wait for the exit; SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Spawn `node <args>` from the repository root with exactly `env` (plus PATH). */
export function spawnNode(args: string[], env: Record<string, string>, port: number): SpawnedProcess {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    port,
    output: () => output,
    exit,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    },
  };
}

/** Poll `url` every 5 ms until it answers 200; resolves to the time it did (performance.now()). */
export async function waitFor200(url: string, proc: SpawnedProcess, timeoutMs = 60_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  const agent = new http.Agent({ keepAlive: false });
  try {
    while (performance.now() < deadline) {
      if (proc.child.exitCode !== null) throw new Error(`process exited early:\n${proc.output()}`);
      const status = await new Promise<number>((resolve) => {
        const req = http.get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(0));
      });
      if (status === 200) return performance.now();
      await sleep(5);
    }
  } finally {
    agent.destroy();
  }
  throw new Error(`${url} never answered 200:\n${proc.output()}`);
}

/** The environment of a real server process on `database` (a DATABASE_URL or a DATA_DIR). */
export async function serverEnv(
  database: { url: string } | { dataDir: string },
  extra: Record<string, string> = {},
): Promise<{ env: Record<string, string>; port: number }> {
  const [port, idpPort] = [await freePort(), await freePort()];
  return {
    port,
    env: {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DEV_IDP_PORT: String(idpPort),
      METRICS_PORT: '0',
      JOBS: 'external',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'off',
      SESSION_SECRET,
      SHUTDOWN_GRACE_MS: '5000',
      ...('url' in database ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
      ...extra,
    },
  };
}

/** CPU time (user + system, ms) a live process has used so far, from /proc (Linux; NaN elsewhere). */
export function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks (100 Hz).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}
