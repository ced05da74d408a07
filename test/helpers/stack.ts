import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp } from '../../src/server/app.ts';
import { type Config, DEV_CLIENT, loadConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { type DevIdp, startDevIdp } from '../../src/server/devidp/devidp.ts';
import { loadWorkforce } from '../../src/server/devidp/workforce.ts';
import { OidcClient } from '../../src/server/modules/identity/identity.oidc.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { CookieJar, location, request } from './http.ts';

export const SESSION_SECRET = 'test-session-secret-0123456789-abcdefghijklmnop';

/**
 * A port to listen on later, below Linux's ephemeral range (32768–60999). A port from `listen(0)` is itself
 * ephemeral: between closing the probe and the real listen, an outgoing connection (a database pool opening
 * one) may take it as its source port and the listen fails with EADDRINUSE. Ports below the range are never
 * handed out that way; a random one is checked free, which two workers picking the same one makes unlikely.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await isFree(port)) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface TestStack {
  baseUrl: string;
  app: FastifyInstance;
  idp: DevIdp;
  db: TestDatabase;
  config: Config;
  logs: Record<string, unknown>[];
  signIn(who: string, options?: { auth?: 'enrolled' | 'pwd' | 'mfa'; returnTo?: string }): Promise<Session>;
  /** A fresh browser cookie jar that judges the app's cookies by the app's clock (the pinned `now`, if any). */
  newJar(): CookieJar;
  /**
   * Restarts the app process on the same port and database, as a deployment or crash would: `hard` drops the
   * open connections at once (requests in flight never get an answer) instead of letting them finish.
   * `app` is the new instance afterwards.
   */
  restart(options?: { hard?: boolean; downMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  webRoot?: string;
  now?: () => Date;
  /** Trust this issuer instead of the dev identity provider (e.g. the misbehaving fake provider). */
  issuer?: string;
  /**
   * The app runs as this database role (DATABASE_RUNTIME_ROLE). PostgreSQL: the app's pool assumes it and `db`
   * stays the owner's. PGlite (one connection, shared with `db`): the connection `SET ROLE`s to it.
   */
  runtimeRole?: string;
}

/**
 * The real thing, in-process: a fresh database, the dev OIDC provider on its own port, and the app listening
 * on a free port (OIDC needs real HTTP between relying party and provider).
 */
export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const [appPort, idpPort] = [await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${appPort}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(appPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    LOG_LEVEL: 'info',
    SESSION_SECRET,
    DEV_IDP_PORT: String(idpPort),
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...options.env,
  });
  const db = await createTestDatabase();
  const appDatabase =
    options.runtimeRole && db.url
      ? await openDatabase({ kind: 'postgres', url: db.url, poolMax: 5, runtimeRole: options.runtimeRole })
      : db.database;
  if (options.runtimeRole && !db.url) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.runtimeRole)) throw new Error('not a plain role name');
    await db.database.db.execute(sql.raw(`set role ${options.runtimeRole}`));
  }
  const idp = await startDevIdp({
    env: 'test',
    host: '127.0.0.1',
    port: idpPort,
    publicHost: '127.0.0.1',
    clients: [
      {
        clientId: DEV_CLIENT.id,
        clientSecret: DEV_CLIENT.secret,
        redirectUris: [config.oidc.redirectUri],
        postLogoutRedirectUris: [config.oidc.postLogoutRedirectUri],
        backchannelLogoutUri: `${config.publicUrl}/auth/backchannel-logout`,
        universalLogoutUri: `${config.publicUrl}/auth/universal-logout`,
      },
    ],
  });
  const logs: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const deps: AppDeps = {
    config,
    database: appDatabase,
    oidc: new OidcClient({ ...config.oidc, issuer: options.issuer ?? idp.issuer, allowHttp: true }),
    sessionSecret: SESSION_SECRET,
    logStream,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  let app = await buildApp(deps);
  await app.listen({ port: appPort, host: '127.0.0.1' });

  const stack: TestStack = {
    baseUrl,
    get app() {
      return app;
    },
    idp,
    db,
    config,
    logs,
    signIn: (who, opts) => signIn(stack, who, opts),
    newJar: () => {
      const appNow = options.now;
      const isApp = (url: string) => new URL(url).origin === new URL(baseUrl).origin;
      return new CookieJar((url) => (appNow && isApp(url) ? appNow().getTime() : Date.now()));
    },
    async restart({ hard = false, downMs = 0 } = {}) {
      const closing = app.close();
      if (hard) app.server.closeAllConnections();
      await closing;
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      app = await buildApp(deps);
      await app.listen({ port: appPort, host: '127.0.0.1' });
    },
    async close() {
      await app.close();
      await idp.close();
      if (appDatabase !== db.database) await appDatabase.close();
      await db.drop();
    },
  };
  return stack;
}

/** A signed-in browser: its cookie jar and CSRF token, with JSON helpers against the API. */
export class Session {
  readonly jar: CookieJar;
  readonly baseUrl: string;
  csrf = '';
  constructor(jar: CookieJar, baseUrl: string) {
    this.jar = jar;
    this.baseUrl = baseUrl;
  }
  fetch(path: string, init: RequestInit = {}) {
    return request(this.jar, `${this.baseUrl}${path}`, init);
  }
  get(path: string) {
    return this.fetch(path);
  }
  send(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
    return this.fetch(path, {
      method,
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrf, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
  post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return this.send('POST', path, body, headers);
  }
  async json<T = Record<string, unknown>>(path: string): Promise<T> {
    const response = await this.get(path);
    if (response.status !== 200)
      throw new Error(`GET ${path} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}

export function personFor(who: string) {
  const person = loadWorkforce().find((p) => p.email === who || p.sub === who || p.givenName === who);
  if (!person) throw new Error(`no demo person ${who}`);
  return person;
}

/**
 * Sign in the way a browser does: app → IdP authorize → login interaction (pick the person) → IdP resume →
 * app callback. Returns the session, or throws with the final response when sign-in did not succeed.
 */
export async function signIn(
  stack: TestStack,
  who: string,
  options: { auth?: 'enrolled' | 'pwd' | 'mfa'; returnTo?: string; jar?: CookieJar } = {},
): Promise<Session> {
  const result = await attemptSignIn(stack, who, options);
  if (result.response.status !== 302 || !result.session) {
    throw new Error(`sign-in of ${who} failed: ${result.response.status} ${await result.response.text()}`);
  }
  return result.session;
}

export async function attemptSignIn(
  stack: TestStack,
  who: string,
  options: {
    auth?: 'enrolled' | 'pwd' | 'mfa';
    returnTo?: string;
    jar?: CookieJar;
    abort?: boolean;
    /** Where the flow starts (default /auth/login; /auth/step-up for a re-authentication). */
    start?: string;
  } = {},
): Promise<{ response: Response; session: Session | null; callbackUrl: string | null }> {
  const person = personFor(who);
  const jar = options.jar ?? stack.newJar();
  const returnTo = options.returnTo ?? '/capture/';
  let url = `${stack.baseUrl}${options.start ?? '/auth/login'}?returnTo=${encodeURIComponent(returnTo)}`;
  let callbackUrl: string | null = null;
  for (let hop = 0; hop < 12; hop += 1) {
    let response = await request(jar, url);
    if (url.startsWith(`${stack.idp.issuer}/interaction/`) && response.status === 200) {
      const form = new URLSearchParams(
        options.abort ? {} : { sub: person.sub, auth: options.auth ?? 'enrolled' },
      );
      response = await request(jar, `${url}/${options.abort ? 'abort' : 'login'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    }
    // A page that submits itself (the provider ending its previous session on an account switch): do what the
    // browser's script does.
    if (response.status === 200 && url.startsWith(stack.idp.issuer)) {
      const html = await response.clone().text();
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (action && html.includes('document.forms[0].submit()')) {
        const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)];
        response = await request(jar, action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields.map((m) => [m[1] ?? '', m[2] ?? ''])).toString(),
        });
        url = action;
      }
    }
    if (url.startsWith(`${stack.baseUrl}/auth/callback`)) {
      callbackUrl = url;
      const session = response.status === 302 ? new Session(jar, stack.baseUrl) : null;
      if (session) session.csrf = (await session.json<{ csrfToken: string }>('/api/v1/me')).csrfToken;
      return { response, session, callbackUrl };
    }
    if (response.status < 300 || response.status >= 400) return { response, session: null, callbackUrl };
    url = location(response, url);
  }
  throw new Error('too many redirects during sign-in');
}

/** Re-authenticate a signed-in session (step-up) as the same person; returns the final callback response. */
export async function stepUp(
  stack: TestStack,
  session: Session,
  who: string,
  auth: 'enrolled' | 'pwd' | 'mfa',
  returnTo = '/admin/',
): Promise<Response> {
  const result = await attemptSignIn(stack, who, {
    jar: session.jar,
    auth,
    returnTo,
    start: '/auth/step-up',
  });
  return result.response;
}
