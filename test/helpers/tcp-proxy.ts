import { createConnection, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { vi } from 'vitest';
import { freePort, type StackOptions, startStack, type TestStack } from './stack.ts';

/**
 * A loopback TCP proxy to put between the app and a real dependency (PostgreSQL, the identity provider) and
 * break the path the way networks and servers break:
 *
 * - `pause()`: the dependency "stops": the listener closes (new connections are refused, ECONNREFUSED) and
 *   every open connection is destroyed (the client sees a reset mid-query or mid-response);
 * - `slow(ms)`: every chunk, either way, is held `ms` before it is passed on (a dependency that answers, late);
 * - `resume()`: listening again on the same port, chunks passed at once.
 *
 * It knows nothing of the protocol: bytes in, bytes out.
 */
export interface TcpProxy {
  /** The address clients connect to. */
  host: string;
  port: number;
  /** Connections accepted so far (a reconnect after resume() shows up here). */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  pause(): Promise<void>;
  slow(ms: number): void;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  target: { host: string; port: number };
  /** Where to listen (default 127.0.0.1 on a free port). */
  listen?: { host?: string; port?: number };
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const host = options.listen?.host ?? '127.0.0.1';
  const port = options.listen?.port ?? (await freePort());
  const pairs = new Set<[Socket, Socket]>();
  let delayMs = 0;
  let accepted = 0;
  let server: Server | null = null;

  /** Pass `from`'s bytes to `to`, in order, each chunk held `delayMs` when slowed. */
  const pipe = (from: Socket, to: Socket) => {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const wait = delayMs;
      chain = chain.then(async () => {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.on('end', () => {
      chain = chain.then(() => {
        if (!to.destroyed) to.end();
      });
    });
  };

  const accept = (client: Socket) => {
    accepted += 1;
    const upstream = createConnection(options.target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    pipe(client, upstream);
    pipe(upstream, client);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(accept);
      next.once('error', reject);
      next.listen(port, host, () => {
        server = next;
        resolve();
      });
    });

  const stop = async () => {
    const current = server;
    server = null;
    for (const [client, upstream] of pairs) {
      // A reset, not a polite close: a database that stops does not finish its answers.
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
    if (current) await new Promise((resolve) => current.close(resolve));
  };

  await listen();
  return {
    host,
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    pause: stop,
    slow(ms: number) {
      delayMs = ms;
    },
    async resume() {
      delayMs = 0;
      if (!server) await listen();
    },
    close: stop,
  };
}

/** A stack whose app reaches PostgreSQL only through a proxy, and a pool that goes straight to the database. */
export interface ProxiedPostgresStack {
  stack: TestStack;
  proxy: TcpProxy;
  /** Around the proxy: what the database really holds, readable while the app's path is down. */
  direct: pg.Pool;
  /** The name of this test file's PostgreSQL database. */
  dbName: string;
  close(): Promise<void>;
}

/**
 * startStack with the proxy between the app and PostgreSQL: the stack creates its database, and the app
 * connects to it, through the proxy (DATABASE_URL is pointed at the proxy while the stack starts). PostgreSQL
 * only: the embedded PGlite runs inside the app's process and has no network path to break.
 */
export async function startStackBehindProxy(
  postgresUrl: string,
  options: StackOptions = {},
): Promise<ProxiedPostgresStack> {
  const real = new URL(postgresUrl);
  const proxy = await startTcpProxy({ target: { host: real.hostname, port: Number(real.port || 5432) } });
  const viaProxy = new URL(postgresUrl);
  viaProxy.host = `${proxy.host}:${proxy.port}`;
  vi.stubEnv('DATABASE_URL', viaProxy.href);
  let stack: TestStack;
  try {
    stack = await startStack(options);
  } finally {
    vi.unstubAllEnvs();
  }
  const dbName = new URL(stack.db.url ?? '').pathname.slice(1);
  const straight = new URL(postgresUrl);
  straight.pathname = `/${dbName}`;
  const direct = new pg.Pool({ connectionString: straight.href, max: 2 });
  return {
    stack,
    proxy,
    direct,
    dbName,
    async close() {
      await proxy.resume();
      await direct.end();
      await stack.close();
      await proxy.close();
    },
  };
}
