import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Db, queryRows } from '../../db/client.ts';
import { insightMerges } from '../../db/schema.reporting.ts';
import { insights, people } from '../../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import { insightReadScope } from '../insights/insights.policy.ts';

/** Merges are records (insight_merges) plus one pointer (insights.merged_into_id): reversible by design. */

export interface LockedInsight {
  id: string;
  mergedIntoId: string | null;
}

/**
 * Locks these insights (those in the actor's scope; the others are simply not returned) for the rest of the
 * transaction, in id order so two merges touching the same insights wait for each other instead of
 * deadlocking. Everything a merge decides is read after this lock.
 */
export async function lockInsights(tx: Db, actor: Actor, ids: string[]): Promise<LockedInsight[]> {
  return tx
    .select({ id: insights.id, mergedIntoId: insights.mergedIntoId })
    .from(insights)
    .where(and(insightReadScope(actor), inArray(insights.id, ids)))
    .orderBy(asc(insights.id))
    .for('update');
}

/** Whether the insight is in the actor's read scope (no lock). */
export async function isInScope(tx: Db, actor: Actor, id: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: insights.id })
    .from(insights)
    .where(and(insightReadScope(actor), eq(insights.id, id)))
    .limit(1);
  return Boolean(row);
}

/** Which of these insights are primaries with live merges (some insight is merged into them). */
export async function primariesAmong(tx: Db, ids: string[]): Promise<Set<string>> {
  const rows = await tx
    .selectDistinct({ id: insights.mergedIntoId })
    .from(insights)
    .where(inArray(insights.mergedIntoId, ids));
  return new Set(rows.flatMap((r) => (r.id ? [r.id] : [])));
}

/** The detector's similarity of the primary's text with each duplicate's (pg_trgm `similarity`). */
export async function similaritiesTo(tx: Db, primaryId: string, ids: string[]): Promise<Map<string, number>> {
  const duplicate = alias(insights, 'duplicate');
  const rows = await queryRows<{ id: string; sim: number }>(
    tx,
    sql`select ${duplicate.id} as id, similarity(${insights.text}, ${duplicate.text}) as sim
      from ${insights}, ${insights} ${duplicate}
      where ${insights.id} = ${primaryId}::uuid and ${inArray(duplicate.id, ids)}`,
  );
  return new Map(rows.map((r) => [r.id, Number(r.sim)]));
}

export type NewMerge = typeof insightMerges.$inferInsert;

export async function insertMerge(tx: Db, merge: NewMerge): Promise<void> {
  await tx.insert(insightMerges).values(merge);
}

/** Points the duplicate at its primary (or back at nothing). Nothing else on the row changes. */
export async function setMergedInto(tx: Db, id: string, primaryId: string | null): Promise<void> {
  await tx.update(insights).set({ mergedIntoId: primaryId }).where(eq(insights.id, id));
}

/** The live merge of a duplicate (at most one: a partial unique index guarantees it). */
export async function liveMergeOf(tx: Db, duplicateId: string) {
  const [row] = await tx
    .select({ id: insightMerges.id, primaryId: insightMerges.primaryId })
    .from(insightMerges)
    .where(and(eq(insightMerges.duplicateId, duplicateId), isNull(insightMerges.unmergedAt)))
    .limit(1);
  return row ?? null;
}

export async function closeMerge(tx: Db, mergeId: string, by: string, at: Date): Promise<void> {
  await tx
    .update(insightMerges)
    .set({ unmergedBy: by, unmergedAt: at })
    .where(and(eq(insightMerges.id, mergeId), isNull(insightMerges.unmergedAt)));
}

const merger = alias(people, 'merger');

export interface LiveMergeRow {
  mergeId: string;
  duplicateId: string;
  similarity: number | null;
  mergedBy: { id: string; name: string };
  mergedAt: Date;
}

/**
 * The live merges into a primary, oldest first, limited to duplicates in the actor's scope (a duplicate an
 * admin merged from outside a manager's tree stays invisible to that manager). `ids` narrows to some merges.
 */
export async function liveMergesInto(
  db: Db,
  actor: Actor,
  primaryId: string,
  duplicateIds?: string[],
): Promise<LiveMergeRow[]> {
  const rows = await db
    .select({
      mergeId: insightMerges.id,
      duplicateId: insightMerges.duplicateId,
      similarity: insightMerges.similarity,
      mergedById: merger.id,
      mergedByName: merger.displayName,
      mergedAt: insightMerges.mergedAt,
    })
    .from(insightMerges)
    .innerJoin(insights, eq(insights.id, insightMerges.duplicateId))
    .innerJoin(merger, eq(merger.id, insightMerges.mergedBy))
    .where(
      and(
        eq(insightMerges.primaryId, primaryId),
        isNull(insightMerges.unmergedAt),
        insightReadScope(actor),
        duplicateIds ? inArray(insightMerges.duplicateId, duplicateIds) : undefined,
      ),
    )
    .orderBy(asc(insightMerges.mergedAt), asc(insightMerges.id));
  return rows.map((r) => ({
    mergeId: r.mergeId,
    duplicateId: r.duplicateId,
    similarity: r.similarity,
    mergedBy: { id: r.mergedById, name: r.mergedByName },
    mergedAt: r.mergedAt,
  }));
}
