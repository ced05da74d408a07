import { and, count, desc, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { insights, people } from '../../db/schema.ts';
import { baseQuery, type JoinedRow } from '../insights/insights.repo.ts';

/** Where a keyset page starts: strictly after this (captured_at, id), newest first. */
export interface ExportCursor {
  at: Date;
  id: string;
}

/** How many insights an export would hold (same conditions, same snapshot as the rows). */
export async function countExport(tx: Db, where: SQL): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(insights).where(where);
  return Number(row?.n ?? 0);
}

/**
 * One batch of the export, newest first (captured_at desc, id desc: the `insights_captured_order_idx` order), after
 * the previous batch's last row. Every read of a full insight goes through baseQuery.
 */
export async function exportBatch(
  tx: Db,
  where: SQL,
  after: ExportCursor | null,
  limit: number,
): Promise<JoinedRow[]> {
  const keyset = after
    ? sql`(${insights.capturedAt}, ${insights.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
    : undefined;
  return baseQuery(tx)
    .where(and(where, keyset))
    .orderBy(desc(insights.capturedAt), desc(insights.id))
    .limit(limit);
}

/** Display names of people (the managers a reporting-tree scope names). */
export async function namesOf(tx: Db, personIds: readonly string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: people.id, name: people.displayName })
    .from(people)
    .where(inArray(people.id, [...personIds]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The team of each author of a batch (the CSV's `team` column: the author's team now). */
export async function teamsOf(tx: Db, personIds: string[]): Promise<Map<string, string | null>> {
  if (personIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: people.id, team: people.team })
    .from(people)
    .where(inArray(people.id, personIds));
  return new Map(rows.map((r) => [r.id, r.team]));
}
