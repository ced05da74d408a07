import { and, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Insight } from '../../../contract/api/insights.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { duplicateDismissals } from '../../db/schema.reporting.ts';
import { insights } from '../../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import { insightReadScope } from '../insights/insights.policy.ts';
import { baseQuery, toInsights } from '../insights/insights.repo.ts';
import { proposable } from './duplicates.policy.ts';

/**
 * The near-duplicate detector, in SQL: pg_trgm's `%` operator (true when similarity ≥
 * pg_trgm.similarity_threshold) is the one operator the GIN index `insights_text_trgm` answers, so every
 * detection query compares with `%` under a transaction-local threshold and computes `similarity()` only for
 * the rows the index returned. The API and the precision test (test/unit/duplicates-precision.test.ts) run
 * these same functions.
 */

const newer = alias(insights, 'newer');
const older = alias(insights, 'older');
const candidate = alias(insights, 'candidate');

/**
 * Runs `work` in a transaction set up for the detector, both settings transaction-local (set_config(…, true)
 * = SET LOCAL: they end with the transaction, so a pooled connection never keeps them):
 * - `pg_trgm.similarity_threshold`: what `%` means;
 * - `enable_seqscan = off`: the planner costs `%` like any cheap operator (procost 1), so on tables of a few
 *   thousand rows it prefers a sequential scan that computes a similarity for EVERY row, once per probe
 *   (measured: 90 ms a probe at 2,300 rows on PostgreSQL, growing with the table, against 20 ms for the
 *   GIN probe under the same load). With sequential scans priced out, every access in the detector's queries
 *   goes through an index: the window by `insights_captured_order_idx`, the text by `insights_text_trgm`.
 */
export async function withThreshold<T>(db: Db, threshold: number, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', ${String(threshold)}, true),
      set_config('enable_seqscan', 'off', true)`);
    return work(tx);
  });
}

/** Not a pair a reviewer dismissed (stored smaller id first; the primary key answers it). */
function notDismissed(x: SQL, y: SQL): SQL {
  return sql`not exists (select 1 from ${duplicateDismissals} d
    where d.insight_a = least(${x}, ${y}) and d.insight_b = greatest(${x}, ${y}))`;
}

export interface PairRow {
  olderId: string;
  newerId: string;
  similarity: number;
}

export interface PairCursor {
  similarity: number;
  olderId: string;
  newerId: string;
}

export interface PairWindow {
  /** Inclusive start and exclusive end of the days the NEWER insight of a pair was captured in. */
  from: Date;
  until: Date;
}

/**
 * One page of proposed pairs, most similar first, keyset-paginated over (similarity desc, older id, newer id).
 *
 * How it scales: the outer side is bounded by the window (insights captured in at most 92 days, found by
 * `insights_captured_order_idx`, then the actor's scope); for each of those, the older side is ONE probe of the
 * trigram GIN index (`older.text % newer.text`), which returns only insights sharing enough trigrams, so
 * the work is O(insights in the window × one index probe), never all pairs of the table. Older insights of any
 * age are found (feedback heard again months later is still a duplicate), but only a newer insight inside the
 * window starts a probe. Each page re-runs the window's probes (pairs have no stored order to seek in); the
 * window cap is what keeps that bounded, and the limit + 1 row tells whether another page exists.
 */
export function pairsQuery(
  actor: Actor,
  window: PairWindow,
  page: { limit: number; after: PairCursor | null },
) {
  const after = page.after
    ? sql`and (sim < ${page.after.similarity}::real
          or (sim = ${page.after.similarity}::real
              and (older_id, newer_id) > (${page.after.olderId}::uuid, ${page.after.newerId}::uuid)))`
    : sql``;
  return sql`select older_id, newer_id, sim from (
      select ${older.id} as older_id, ${newer.id} as newer_id,
             similarity(${older.text}, ${newer.text}) as sim
      from ${insights} ${newer}
      cross join lateral (
        select ${insights.id}, ${insights.text}, ${insights.capturedAt} from ${insights}
        where ${insights.text} % ${newer.text} and ${proposable(actor, insights)}
        offset 0
      ) ${older}
      where ${newer.capturedAt} >= ${window.from.toISOString()}::timestamptz
        and ${newer.capturedAt} < ${window.until.toISOString()}::timestamptz
        and ${proposable(actor, newer)}
        and (${older.capturedAt}, ${older.id}) < (${newer.capturedAt}, ${newer.id})
        and ${notDismissed(sql`${older.id}`, sql`${newer.id}`)}
    ) pairs
    where true ${after}
    order by sim desc, older_id, newer_id
    limit ${page.limit + 1}`;
}

export async function pairsPage(
  db: Db,
  actor: Actor,
  window: PairWindow,
  threshold: number,
  page: { limit: number; after: PairCursor | null },
): Promise<{ rows: PairRow[]; hasMore: boolean }> {
  const rows = await withThreshold(db, threshold, (tx) =>
    queryRows<{ older_id: string; newer_id: string; sim: number }>(tx, pairsQuery(actor, window, page)),
  );
  return {
    rows: rows.slice(0, page.limit).map((r) => ({
      olderId: r.older_id,
      newerId: r.newer_id,
      similarity: Number(r.sim),
    })),
    hasMore: rows.length > page.limit,
  };
}

/**
 * The insights most like one text (the insight `id` excluded), in the actor's scope and not merged, pairs
 * dismissed with `id` excluded; most similar first, ties by id. One GIN index probe.
 */
export function candidatesQuery(actor: Actor, insight: { id: string; text: string }, limit: number) {
  return sql`select ${candidate.id} as id, similarity(${candidate.text}, ${insight.text}) as sim
    from ${insights} ${candidate}
    where ${candidate.text} % ${insight.text}
      and ${candidate.id} <> ${insight.id}::uuid
      and ${proposable(actor, candidate)}
      and ${notDismissed(sql`${candidate.id}`, sql`${insight.id}::uuid`)}
    order by sim desc, ${candidate.id}
    limit ${limit}`;
}

export async function candidatesFor(
  db: Db,
  actor: Actor,
  insight: { id: string; text: string },
  threshold: number,
  limit: number,
): Promise<{ id: string; similarity: number }[]> {
  const rows = await withThreshold(db, threshold, (tx) =>
    queryRows<{ id: string; sim: number }>(tx, candidatesQuery(actor, insight, limit)),
  );
  return rows.map((r) => ({ id: r.id, similarity: Number(r.sim) }));
}

/** The full Insights of these ids that are in the actor's scope, by id (one query, never one per row). */
export async function insightsById(db: Db, actor: Actor, ids: string[]): Promise<Map<string, Insight>> {
  if (ids.length === 0) return new Map();
  const scope = insightReadScope(actor);
  const rows = await baseQuery(db).where(and(scope, inArray(insights.id, [...new Set(ids)])));
  return new Map((await toInsights(db, scope, rows)).map((insight) => [insight.id, insight]));
}

/** Record that a reviewer said "not duplicates". Returns false when the pair was already dismissed. */
export async function insertDismissal(
  tx: Db,
  row: { insightA: string; insightB: string; dismissedBy: string; dismissedAt: Date },
): Promise<boolean> {
  const inserted = await tx
    .insert(duplicateDismissals)
    .values(row)
    .onConflictDoNothing()
    .returning({ a: duplicateDismissals.insightA });
  return inserted.length > 0;
}
