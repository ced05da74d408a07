import { createHmac } from 'node:crypto';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Database, Db } from '../db/client.ts';
import { queryRows } from '../db/client.ts';

/** Named budgets: every route picks one (or its own) in config.rateLimit. Per person when signed in, else per IP. */
export const RATE = {
  read: { max: 600, timeWindow: 60_000 },
  write: { max: 120, timeWindow: 60_000 },
  // Sign-in is per IP: a conference hall shares one public address, so this must fit a crowd.
  auth: { max: 60, timeWindow: 60_000 },
  probe: { max: 1200, timeWindow: 60_000 },
  asset: { max: 2000, timeWindow: 60_000 },
  // Per SCIM credential (an IdP pushes and imports in bursts); requests without a valid one get far less.
  scim: {
    max: (_request: unknown, key: string) => (key.startsWith('scim:') ? 1200 : 60),
    timeWindow: 60_000,
  },
  // Public feedback forms, per sender (IP hash): a person sends a form or two; a script sending hundreds
  // is stopped. A hall behind one address still fits a session's audience filling the form at once.
  publicForm: { max: 30, timeWindow: 10 * 60_000 },
  // Viewing a public form page (cheap, but still bounded per sender).
  publicPage: { max: 300, timeWindow: 60_000 },
} as const;

/**
 * A keyed hash of a client IP: what rate-limit windows and form responses store instead of the address.
 * Stable across replicas (same secret), not reversible without the secret.
 */
export function ipHash(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(`ip:${ip}`).digest('base64url').slice(0, 32);
}

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A fixed-window counter in PostgreSQL, so a limit holds across every replica. Used when the app runs on
 * PostgreSQL; the embedded PGlite mode is single-process by construction (data-dir lock), so it keeps the
 * plugin's in-memory store. Finished windows are removed by the cleanup job (jobs/cleanup.ts).
 */
export function sharedRateLimitStore(db: Db) {
  class PostgresRateLimitStore {
    readonly prefix: string;
    constructor(options: { routeInfo?: { method?: string; url?: string } } = {}) {
      const route = options.routeInfo;
      this.prefix = route?.url ? `${String(route.method)} ${route.url}|` : 'global|';
    }
    incr(key: string, cb: Callback, timeWindow: number) {
      const now = Date.now();
      const windowStart = new Date(now - (now % timeWindow));
      const expiresAt = new Date(windowStart.getTime() + timeWindow);
      queryRows<{ count: number }>(
        db,
        sql`insert into rate_limits (key, window_start, count, expires_at)
            values (${this.prefix + key}, ${windowStart.toISOString()}::timestamptz, 1, ${expiresAt.toISOString()}::timestamptz)
            on conflict (key, window_start) do update set count = rate_limits.count + 1
            returning count`,
      )
        .then((rows) => cb(null, { current: Number(rows[0]?.count ?? 1), ttl: expiresAt.getTime() - now }))
        .catch((err: Error) => cb(err));
    }
    read(key: string, cb: Callback, timeWindow: number) {
      const now = Date.now();
      const windowStart = new Date(now - (now % timeWindow));
      queryRows<{ count: number }>(
        db,
        sql`select count from rate_limits where key = ${this.prefix + key} and window_start = ${windowStart.toISOString()}::timestamptz`,
      )
        .then((rows) =>
          cb(null, { current: Number(rows[0]?.count ?? 0), ttl: windowStart.getTime() + timeWindow - now }),
        )
        .catch((err: Error) => cb(err));
    }
    child(options: { routeInfo?: { method?: string; url?: string } }) {
      return new PostgresRateLimitStore(options);
    }
  }
  // The plugin's typings describe child() with full RouteOptions; we read only routeInfo from them.
  return PostgresRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}

type MaxOption = number | ((request: FastifyRequest, key: string) => number | Promise<number>);

/**
 * The budget of one request: the operation's own, unless the request carries an API token with its own
 * per-minute budget (scaled to the operation's window). A personal token's budget only lowers the
 * default; a service token's (approved by an admin) replaces it. The counter is the token's own either way.
 */
export function tokenAwareMax(max: MaxOption, timeWindowMs: number) {
  return async (request: FastifyRequest, key: string): Promise<number> => {
    const base = typeof max === 'number' ? max : await max(request, key);
    const budget = request.ctx?.actor?.tokenRateLimit;
    if (!budget || !key.startsWith('token:')) return base;
    const own = Math.max(1, Math.round((budget.perMinute * timeWindowMs) / 60_000));
    return budget.mayRaise ? own : Math.min(own, base);
  };
}

export async function registerRateLimit(app: FastifyInstance, database: Database, secret: string) {
  // Before the plugin's own onRoute hook reads it: token routes get a budget that honours a token's own.
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = route.config;
    const limit = config?.rateLimit;
    if (config?.auth !== 'session_or_token' || !limit || typeof limit !== 'object') return;
    if (typeof limit.timeWindow !== 'number') return;
    const max = limit.max ?? RATE.read.max;
    if (typeof max !== 'number' && typeof max !== 'function') return;
    route.config = { ...config, rateLimit: { ...limit, max: tokenAwareMax(max, limit.timeWindow) } };
  });
  await app.register(rateLimit, {
    global: true,
    ...RATE.read,
    hook: 'onRequest',
    // A rate-limit store outage must not take the API down with it.
    skipOnError: true,
    // Per API token when one is used (each token has its own budget), else per person, else per sender
    // (a keyed hash of the IP: no raw address is stored in the rate-limit table).
    keyGenerator: (request) => {
      if (request.scimCredentialId) return `scim:${request.scimCredentialId}`;
      const actor = request.ctx?.actor;
      if (actor?.tokenId) return `token:${actor.tokenId}`;
      return actor ? `person:${actor.personId}` : `ip:${ipHash(secret, request.ip)}`;
    },
    ...(database.kind === 'postgres' ? { store: sharedRateLimitStore(database.db) } : {}),
  });
}
