import { createHmac } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Database } from '../db/client.ts';
import { sharedRateLimitStore } from './rate-limit.store.ts';

/**
 * Named budgets: every route picks one (or its own) in config.rateLimit. Per person when signed in, else per IP.
 * `batched` budgets (fairness: reads, writes, probes, assets) are counted in memory far from their limit and
 * written to the shared table in batches; every other budget is written per request (rate-limit.store.ts).
 * `name` is what a 429 says was used up.
 */
export const RATE = {
  read: { name: 'read', max: 600, timeWindow: 60_000, batched: true },
  write: { name: 'write', max: 120, timeWindow: 60_000, batched: true },
  // Sign-in is per IP: a conference hall shares one public address, so this must fit a crowd.
  auth: { name: 'auth', max: 60, timeWindow: 60_000 },
  probe: { name: 'probe', max: 1200, timeWindow: 60_000, batched: true },
  asset: { name: 'asset', max: 2000, timeWindow: 60_000, batched: true },
  // Per SCIM credential (an IdP pushes and imports in bursts); requests without a valid one get far less.
  scim: {
    name: 'scim',
    max: (_request: unknown, key: string) => (key.startsWith('scim:') ? 1200 : 60),
    timeWindow: 60_000,
  },
  // Public feedback forms, per sender (IP hash): a person sends a form or two; a script sending hundreds
  // is stopped. A hall behind one address still fits a session's audience filling the form at once.
  publicForm: { name: 'publicForm', max: 30, timeWindow: 10 * 60_000 },
  // Viewing a public form page (cheap, but still bounded per sender).
  publicPage: { name: 'publicPage', max: 300, timeWindow: 60_000 },
  // Full-text search, per person or token, exact, on its own counter: on a list route that takes a search
  // parameter, requests carrying it (valid or not) count here and the others count on `read` as before.
  search: { name: 'search', max: 120, timeWindow: 60_000, searchParam: 'q' },
  // Files (CSV, PDF, OCSF export, packages, review reports), per person or token, exact: each reads a lot.
  export: { name: 'export', max: 30, timeWindow: 60_000 },
} as const;

/** Bounds of RATE_LIMIT_SCALE (config.ts): tests lower every budget; nothing can raise one. */
export const RATE_LIMIT_SCALE = { min: 0.01, max: 1 } as const;

/**
 * A keyed hash of a client IP: what rate-limit windows and form responses store instead of the address.
 * Stable across replicas (same secret), not reversible without the secret.
 */
export function ipHash(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(`ip:${ip}`).digest('base64url').slice(0, 32);
}

type MaxOption = number | ((request: FastifyRequest, key: string) => number | Promise<number>);
type Limit = Record<string, unknown>;

/** The suffix of a search's key: its own counter beside the route's other requests. */
const SEARCH_KEY = '|search';

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

/** Every budget times `scale` (at least 1 request); 1 leaves them as they are. */
const scaled = (max: number, scale: number) => (scale === 1 ? max : Math.max(1, Math.round(max * scale)));
export function scaledMax(max: MaxOption, scale: number): MaxOption {
  if (typeof max === 'number') return scaled(max, scale);
  return scale === 1 ? max : async (request, key) => scaled(await max(request, key), scale);
}

/** Whether a request carries the route's search parameter (any value: an invalid search is a search too). */
function isSearch(request: FastifyRequest, param: string): boolean {
  const query = request.query;
  return typeof query === 'object' && query !== null && Object.hasOwn(query, param);
}

/** The budget a request was counted on, as a 429 names it; null for a route's own unnamed budget. */
function budgetName(request: FastifyRequest): string | null {
  const limit = request.routeOptions.config?.rateLimit as Limit | false | undefined;
  if (!limit || typeof limit !== 'object') return null;
  if (typeof limit.searchParam === 'string') {
    return isSearch(request, limit.searchParam) ? RATE.search.name : RATE.read.name;
  }
  return typeof limit.name === 'string' ? limit.name : null;
}

const windowText = (ms: number) =>
  ms === 60_000 ? 'minute' : ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${Math.ceil(ms / 1000)} seconds`;

/**
 * The refusal: "retry in …" (the plugin's words, also the Retry-After header) and which budget was used up,
 * with its size. errors.ts turns it into the problem+json (or the page on sign-in pages).
 */
function refusal(request: FastifyRequest, context: { statusCode: number; max: number; after: string }) {
  const limit = request.routeOptions.config?.rateLimit as Limit | false | undefined;
  const window = limit && typeof limit.timeWindow === 'number' ? limit.timeWindow : RATE.read.timeWindow;
  const name = budgetName(request);
  const whose = request.ctx?.actor?.tokenId ? ' for this API token' : '';
  const budget = name ? `the ${name} budget` : 'the budget of this operation';
  const error = new Error(
    `Rate limit exceeded, retry in ${context.after} (${budget}${whose}: ${context.max} requests per ${windowText(window)})`,
  ) as Error & { statusCode: number };
  error.statusCode = context.statusCode;
  return error;
}

export interface RateLimitOptions {
  /** RATE_LIMIT_SCALE: tests lower every route's budget with it; 1 in production. */
  scale?: number;
}

export async function registerRateLimit(
  app: FastifyInstance,
  database: Database,
  secret: string,
  options: RateLimitOptions = {},
) {
  const scale = options.scale ?? 1;
  if (!(scale >= RATE_LIMIT_SCALE.min && scale <= RATE_LIMIT_SCALE.max))
    throw new Error(`rate-limit scale must be between ${RATE_LIMIT_SCALE.min} and ${RATE_LIMIT_SCALE.max}`);
  const shared = database.kind === 'postgres' ? sharedRateLimitStore(database.db) : null;
  // Counts still in memory are written before the database closes (shutdown drains, then closes the app).
  if (shared) app.addHook('onClose', () => shared.flush());

  // Per API token when one is used (each token has its own budget), else per person, else per sender
  // (a keyed hash of the IP: no raw address is stored in the rate-limit table).
  const keyOf = (request: FastifyRequest) => {
    if (request.scimCredentialId) return `scim:${request.scimCredentialId}`;
    const actor = request.ctx?.actor;
    if (actor?.tokenId) return `token:${actor.tokenId}`;
    return actor ? `person:${actor.personId}` : `ip:${ipHash(secret, request.ip)}`;
  };

  // Before the plugin's own onRoute hook reads it: a search route gets a second counter (and budget) for its
  // searches, token routes a budget that honours a token's own, and every budget the scale.
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = route.config;
    const limit = config?.rateLimit as Limit | false | undefined;
    if (!limit || typeof limit !== 'object' || typeof limit.timeWindow !== 'number') return;
    const window = limit.timeWindow;
    let max = (limit.max ?? RATE.read.max) as MaxOption;
    if (typeof max !== 'number' && typeof max !== 'function') return;
    const param = limit.searchParam;
    const token = config?.auth === 'session_or_token';
    if (typeof param !== 'string' && !token && scale === 1) return;
    const rewritten: Limit = { ...limit };
    if (typeof param === 'string') {
      const searchMax = max;
      max = async (request, key) =>
        key.endsWith(SEARCH_KEY)
          ? typeof searchMax === 'number'
            ? searchMax
            : searchMax(request, key)
          : RATE.read.max;
      rewritten.keyGenerator = (request: FastifyRequest) =>
        keyOf(request) + (isSearch(request, param) ? SEARCH_KEY : '');
      // Searches are exact; the route's other requests are batched like every read.
      rewritten.batched = (key: string) => !key.endsWith(SEARCH_KEY);
    }
    if (token) max = tokenAwareMax(max, window);
    rewritten.max = scaledMax(max, scale);
    route.config = { ...config, rateLimit: rewritten };
  });
  await app.register(rateLimit, {
    global: true,
    ...RATE.read,
    max: scaled(RATE.read.max, scale),
    hook: 'onRequest',
    // A rate-limit store outage must not take the API down with it.
    skipOnError: true,
    keyGenerator: keyOf,
    errorResponseBuilder: refusal,
    ...(shared ? { store: shared.Store } : {}),
  });
}
