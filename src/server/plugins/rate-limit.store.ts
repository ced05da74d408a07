import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { queryRows } from '../db/client.ts';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/** One fixed window of one key, as this process knows it. */
interface Window {
  key: string;
  windowStart: number;
  expiresAt: number;
  /** The count in the table the last time this process wrote it (every replica's requests included). */
  shared: number;
  /** This process's requests not yet in the table. */
  pending: number;
  /** This process's requests being written now. */
  inflight: number;
}

export interface SharedRateLimitStore {
  Store: FastifyRateLimitStoreCtor;
  /** Writes every pending count now (the app's onClose calls it so a shutdown loses none). */
  flush(): Promise<void>;
  /** How many windows this process keeps in memory (finished ones are forgotten on the next pass). */
  windowCount(): number;
}

/** How long a request's count may wait in memory before it is written with the others. */
export const FLUSH_INTERVAL_MS = 200;
/**
 * A replica holds at most this share of a limit unwritten: at that point its counts are written at once. So
 * what the table has not seen is below (replicas − 1) × LOCAL_SHARE × the limit at any moment.
 */
export const LOCAL_SHARE = 1 / 8;

/**
 * A fixed-window counter in PostgreSQL, so a limit holds across every replica.
 *
 * Budgets marked `batched` (the broad read and write budgets: fairness, not defence) do not cost a committed
 * write per request: below half its limit a request is counted in memory, and the counts are written in one
 * multi-row upsert every FLUSH_INTERVAL_MS (which also brings back the other replicas' counts), or at once when
 * a replica holds LOCAL_SHARE of the limit unwritten. From half the limit on, every request is written and
 * answered with the table's count (which also corrects a view made stale by a reset). Requests spread evenly
 * over time are refused where one shared counter would refuse them, give or take the other replicas' unwritten
 * share; a burst arriving on R replicas within one database round trip can pass up to (R − 1) × half the limit
 * more. Every other budget (sign-in, SCIM, public forms, break-glass, search, export…) is exact: one write per
 * request.
 *
 * Used when the app runs on PostgreSQL; the embedded PGlite mode is single-process by construction (data-dir
 * lock) and keeps the plugin's in-memory store. Finished windows are removed by the cleanup job
 * (jobs/cleanup.ts).
 */
export function sharedRateLimitStore(db: Db): SharedRateLimitStore {
  const windows = new Map<string, Window>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  const upsert = (rows: { key: string; windowStart: number; expiresAt: number; add: number }[]) => {
    const values = sql.join(
      rows.map(
        (r) =>
          sql`(${r.key}, ${new Date(r.windowStart).toISOString()}::timestamptz, ${r.add}::int, ${new Date(r.expiresAt).toISOString()}::timestamptz)`,
      ),
      sql`, `,
    );
    return queryRows<{ key: string; window_start: string | Date; count: number }>(
      db,
      sql`insert into rate_limits (key, window_start, count, expires_at) values ${values}
          on conflict (key, window_start) do update set count = rate_limits.count + excluded.count
          returning key, window_start, count`,
    );
  };

  const writePending = async () => {
    const now = Date.now();
    const batch: Window[] = [];
    for (const [id, w] of windows) {
      // A finished window's counts no longer matter (also bounds memory while the database is away).
      if (w.expiresAt <= now) windows.delete(id);
      else if (w.pending > 0) batch.push(w);
    }
    if (batch.length === 0) return;
    const sent = batch.map((w) => w.pending);
    batch.forEach((w, i) => {
      w.pending -= sent[i] ?? 0;
      w.inflight += sent[i] ?? 0;
    });
    try {
      const rows = await upsert(batch.map((w, i) => ({ ...w, add: sent[i] ?? 0 })));
      const counts = new Map(
        rows.map((r) => [`${r.key}|${new Date(r.window_start).getTime()}`, Number(r.count)]),
      );
      batch.forEach((w, i) => {
        w.shared = counts.get(`${w.key}|${w.windowStart}`) ?? w.shared + (sent[i] ?? 0);
      });
    } catch (err) {
      batch.forEach((w, i) => {
        w.pending += sent[i] ?? 0;
      });
      throw err;
    } finally {
      batch.forEach((w, i) => {
        w.inflight -= sent[i] ?? 0;
      });
    }
  };

  // One write at a time; a failed write keeps its counts pending for the next one.
  const flush = () => {
    flushing = flushing.then(writePending).catch(() => undefined);
    return flushing;
  };
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, FLUSH_INTERVAL_MS);
    timer.unref();
  };

  const windowOf = (key: string, timeWindow: number, now: number): Window => {
    const windowStart = now - (now % timeWindow);
    const id = `${key}|${windowStart}`;
    let w = windows.get(id);
    if (!w) {
      w = { key, windowStart, expiresAt: windowStart + timeWindow, shared: 0, pending: 0, inflight: 0 };
      windows.set(id, w);
      // Every new window schedules a pass, which also forgets finished windows: exact budgets alone (one key
      // per sign-in IP and minute) would otherwise grow the map without bound.
      schedule();
    }
    return w;
  };

  /** `batched` per key when a function: a search route batches its list calls, not its searches. */
  type ChildOptions = {
    routeInfo?: { method?: string; url?: string };
    batched?: boolean | ((key: string) => boolean);
  };
  class PostgresRateLimitStore {
    readonly prefix: string;
    readonly batched: (key: string) => boolean;
    constructor(options: ChildOptions = {}) {
      const route = options.routeInfo;
      this.prefix = route?.url ? `${String(route.method)} ${route.url}|` : 'global|';
      const batched = options.batched;
      this.batched = typeof batched === 'function' ? batched : () => batched === true;
    }
    incr(key: string, cb: Callback, timeWindow: number, max?: number) {
      const now = Date.now();
      const w = windowOf(this.prefix + key, timeWindow, now);
      const ttl = w.expiresAt - now;
      w.pending += 1;
      const estimate = w.shared + w.inflight + w.pending;
      if (
        this.batched(key) &&
        typeof max === 'number' &&
        estimate * 2 < max &&
        w.pending < max * LOCAL_SHARE
      ) {
        schedule();
        cb(null, { current: estimate, ttl });
        return;
      }
      // An exact budget, near the limit, or holding its share unwritten: written now with the pending ones.
      const add = w.pending;
      w.pending = 0;
      w.inflight += add;
      upsert([{ key: w.key, windowStart: w.windowStart, expiresAt: w.expiresAt, add }]).then(
        (rows) => {
          w.inflight -= add;
          w.shared = Number(rows[0]?.count ?? w.shared + add);
          cb(null, { current: w.shared, ttl });
        },
        (err: Error) => {
          w.inflight -= add;
          w.pending += add;
          cb(err);
        },
      );
    }
    read(key: string, cb: Callback, timeWindow: number) {
      const now = Date.now();
      const windowStart = now - (now % timeWindow);
      const local = windows.get(`${this.prefix + key}|${windowStart}`)?.pending ?? 0;
      queryRows<{ count: number }>(
        db,
        sql`select count from rate_limits where key = ${this.prefix + key} and window_start = ${new Date(windowStart).toISOString()}::timestamptz`,
      )
        .then((rows) =>
          cb(null, { current: Number(rows[0]?.count ?? 0) + local, ttl: windowStart + timeWindow - now }),
        )
        .catch((err: Error) => cb(err));
    }
    child(options: ChildOptions) {
      return new PostgresRateLimitStore(options);
    }
  }
  // The plugin's typings describe child() with full RouteOptions; we read only routeInfo from them.
  return {
    Store: PostgresRateLimitStore as unknown as FastifyRateLimitStoreCtor,
    flush,
    windowCount: () => windows.size,
  };
}
