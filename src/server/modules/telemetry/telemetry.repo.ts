import { and, count, countDistinct, eq, gte, sql } from 'drizzle-orm';
import type { TelemetryKind } from '../../../contract/api/telemetry.ts';
import type { Db } from '../../db/client.ts';
import { clientTelemetry } from '../../db/schema.ts';

export type NewTelemetryRow = typeof clientTelemetry.$inferInsert;

/**
 * Store a batch in one statement; an id already stored (a resent batch, or repeated within this one) is
 * skipped. Returns the events this call stored, so only they are counted in metrics.
 */
export async function insertEvents(db: Db, rows: NewTelemetryRow[]) {
  return db
    .insert(clientTelemetry)
    .values(rows)
    .onConflictDoNothing({ target: clientTelemetry.id })
    .returning({ kind: clientTelemetry.kind, value: clientTelemetry.value, attrs: clientTelemetry.attrs });
}

const p50 = sql<number | null>`percentile_cont(0.5) within group (order by ${clientTelemetry.value})`;
const p95 = sql<number | null>`percentile_cont(0.95) within group (order by ${clientTelemetry.value})`;
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** Per kind: how many events since `from`, and the average, median and 95th percentile of their values. */
export async function statsByKind(db: Db, from: Date) {
  const rows = await db
    .select({
      kind: clientTelemetry.kind,
      count: count(),
      avg: sql<number | null>`avg(${clientTelemetry.value})`,
      p50,
      p95,
    })
    .from(clientTelemetry)
    .where(gte(clientTelemetry.occurredAt, from))
    .groupBy(clientTelemetry.kind);
  return rows.map((row) => ({
    kind: row.kind,
    count: Number(row.count),
    avg: num(row.avg),
    p50: num(row.p50),
    p95: num(row.p95),
  }));
}

/** Events of one kind since `from`, grouped by one attribute's value (result, mode…). */
export async function statsByAttr(db: Db, from: Date, kind: TelemetryKind, attr: 'result' | 'mode') {
  // The key is written into the SQL text (one of two literals), so select and group by are the same
  // expression; as bound parameters ($1, $2) PostgreSQL could not tell they match.
  const value = sql<string | null>`${clientTelemetry.attrs} ->> ${sql.raw(`'${attr}'`)}`;
  const rows = await db
    .select({ value, count: count(), p50, p95 })
    .from(clientTelemetry)
    .where(and(eq(clientTelemetry.kind, kind), gte(clientTelemetry.occurredAt, from)))
    .groupBy(value);
  return rows.map((row) => ({
    value: row.value,
    count: Number(row.count),
    p50: num(row.p50),
    p95: num(row.p95),
  }));
}

export async function countPeople(db: Db, from: Date): Promise<number> {
  const [row] = await db
    .select({ people: countDistinct(clientTelemetry.personId) })
    .from(clientTelemetry)
    .where(gte(clientTelemetry.occurredAt, from));
  return Number(row?.people ?? 0);
}
