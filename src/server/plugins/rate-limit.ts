import { createHmac } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Database } from '../db/client.ts';
import { sharedRateLimitStore } from './rate-limit.store.ts';

/**
 * Named budgets: every route picks one (or its own) in config.rateLimit. Per person when signed in, else per IP.
 * `batched` budgets (fairness: reads, writes, probes, assets) are counted in memory far from their limit and
 * written to the shared table in batches; every other budget is written per request (rate-limit.store.ts).
 */
export const RATE = {
  read: { max: 600, timeWindow: 60_000, batched: true },
  write: { max: 120, timeWindow: 60_000, batched: true },
  // Sign-in is per IP: a conference hall shares one public address, so this must fit a crowd.
  auth: { max: 60, timeWindow: 60_000 },
  probe: { max: 1200, timeWindow: 60_000, batched: true },
  asset: { max: 2000, timeWindow: 60_000, batched: true },
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
  const shared = database.kind === 'postgres' ? sharedRateLimitStore(database.db) : null;
  // Counts still in memory are written before the database closes (shutdown drains, then closes the app).
  if (shared) app.addHook('onClose', () => shared.flush());
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
    ...(shared ? { store: shared.Store } : {}),
  });
}
