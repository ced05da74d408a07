import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { CAPTURE_CLIENT, CLIENT_HEADER, type UsageSurface } from '../../../contract/api/analytics.ts';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../identity/actor.ts';
import { upsertUsageDay } from './usage.repo.ts';

/** A person's last-seen time is refreshed at most this often per process (plus once per new surface). */
export const LAST_SEEN_REFRESH_MS = 15 * 60_000;
/** More remembered people than this in one day (a leak, or a flood): forget them all and start over. */
const MAX_REMEMBERED = 50_000;

/** Which surface a successful authenticated request used. */
export function surfaceOf(actor: Actor, request: Pick<FastifyRequest, 'headers'>): UsageSurface {
  if (actor.via === 'token') return 'api';
  return request.headers[CLIENT_HEADER] === CAPTURE_CLIENT ? 'capture' : 'admin';
}

interface Remembered {
  surfaces: Set<UsageSurface>;
  lastWriteAt: number;
}

/**
 * The in-memory throttle in front of usage_days: per UTC day and person, a write for each surface the first
 * time it is used, and a last-seen refresh at most every LAST_SEEN_REFRESH_MS. Everything else is skipped, so
 * a busy person costs a handful of writes a day per process. Each replica keeps its own memory; the upsert is
 * idempotent, so two replicas only mean a few more writes.
 */
export class UsageThrottle {
  #day = '';
  #seen = new Map<string, Remembered>();

  /** Whether this use needs a write now (and remember that it got one). */
  take(day: string, personId: string, surface: UsageSurface, nowMs: number): boolean {
    if (day !== this.#day || this.#seen.size >= MAX_REMEMBERED) {
      this.#day = day;
      this.#seen = new Map();
    }
    const entry = this.#seen.get(personId);
    if (!entry) {
      this.#seen.set(personId, { surfaces: new Set([surface]), lastWriteAt: nowMs });
      return true;
    }
    if (!entry.surfaces.has(surface)) {
      entry.surfaces.add(surface);
      entry.lastWriteAt = nowMs;
      return true;
    }
    if (nowMs - entry.lastWriteAt >= LAST_SEEN_REFRESH_MS) {
      entry.lastWriteAt = nowMs;
      return true;
    }
    return false;
  }

  /** A write failed: forget the person for the day, so their next request tries again. */
  forget(day: string, personId: string): void {
    if (day === this.#day) this.#seen.delete(personId);
  }
}

/** Requests that say someone used the product: authenticated, answered without an error, not a web asset. */
function countedActor(request: FastifyRequest, statusCode: number): Actor | null {
  const config = request.routeOptions.config;
  if (config.kind === 'asset') return null;
  if (config.auth !== 'session' && config.auth !== 'session_or_token') return null;
  if (statusCode >= 400 || request.method === 'OPTIONS') return null;
  return request.ctx?.actor ?? null;
}

/**
 * Records who used the product each UTC day (usage_days) after each successful authenticated request: role,
 * department and team of that day, the surfaces used, first and last seen. Runs after the answer has been sent
 * (onResponse) and is never awaited by it: a failed write is logged and the request is unaffected. Health
 * probes, assets, sign-in and public form routes are `public` and never count. The app waits for writes still
 * in flight when it closes.
 */
export function registerUsageTracking(app: FastifyInstance, deps: { db: Db; now: () => Date }): void {
  const throttle = new UsageThrottle();
  const pending = new Set<Promise<void>>();

  const record = (actor: Actor, surface: UsageSurface, log: FastifyBaseLogger) => {
    const at = deps.now();
    const day = at.toISOString().slice(0, 10);
    if (!throttle.take(day, actor.personId, surface, at.getTime())) return;
    const write = upsertUsageDay(deps.db, { day, personId: actor.personId, role: actor.role, surface, at })
      .catch((err: unknown) => {
        throttle.forget(day, actor.personId);
        log.warn({ err, personId: actor.personId, surface }, 'usage recording failed');
      })
      .finally(() => pending.delete(write));
    pending.add(write);
  };

  app.addHook('onResponse', (request, reply, done) => {
    const actor = countedActor(request, reply.statusCode);
    if (actor) record(actor, surfaceOf(actor, request), request.log);
    done();
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
  });
}
