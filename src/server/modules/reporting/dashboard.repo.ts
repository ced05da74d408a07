import { and, count, gte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { insights } from '../../db/schema.ts';

export interface KeyCount {
  key: string;
  count: number;
}

export async function countInScope(db: Db, scope: SQL, since?: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(insights)
    .where(since ? and(scope, gte(insights.capturedAt, since)) : scope);
  return Number(row?.n ?? 0);
}

export async function countBy(
  db: Db,
  scope: SQL,
  since: Date,
  column: 'type' | 'sentiment' | 'priority',
): Promise<KeyCount[]> {
  const col = insights[column];
  const rows = await db
    .select({ key: col, count: count() })
    .from(insights)
    .where(and(scope, gte(insights.capturedAt, since)))
    .groupBy(col);
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
}

/** An insight with several product areas counts once in each. */
export async function countByProductArea(db: Db, scope: SQL, since: Date): Promise<KeyCount[]> {
  const rows = await queryRows<{ key: string; count: string | number }>(
    db,
    sql`select area as key, count(*) as count
        from ${insights}, unnest(${insights.productAreas}) as area
        where ${scope} and ${insights.capturedAt} >= ${since.toISOString()}::timestamptz
        group by area`,
  );
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
}

/** Daily counts (UTC days) since a day; days without insights are absent here and filled by the service. */
export async function dailyCounts(db: Db, scope: SQL, since: Date): Promise<KeyCount[]> {
  const rows = await queryRows<{ key: string; count: string | number }>(
    db,
    sql`select to_char(date_trunc('day', ${insights.capturedAt} at time zone 'UTC'), 'YYYY-MM-DD') as key,
               count(*) as count
        from ${insights}
        where ${scope} and ${insights.capturedAt} >= ${since.toISOString()}::timestamptz
        group by 1`,
  );
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
}
