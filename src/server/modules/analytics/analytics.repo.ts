import { type SQL, sql } from 'drizzle-orm';
import type { AnalyticsGranularity, AnalyticsSlice } from '../../../contract/api/analytics.ts';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';

/**
 * The analytics' read queries. Every number is grouped in SQL: per period (UTC day, or the Monday of the ISO
 * week via date_trunc on a UTC timestamp, so the session's time zone never matters) and over the whole range in
 * the same statement (GROUPING SETS: the range row has period null). Periods without data are absent here and
 * filled with zeros by the service.
 */

export interface Range {
  from: string;
  to: string;
}

/** One grouped count: `period` null is the whole range. */
export interface GroupedCount {
  period: string | null;
  key: string | null;
  n: number;
  /** Distinct people, for queries that count them beside the rows. */
  people: number;
}

/** The period of a UTC day expression (a `date`), as YYYY-MM-DD. Only two literal shapes: no parameters. */
function periodOf(granularity: AnalyticsGranularity, day: SQL): SQL {
  const start = granularity === 'day' ? day : sql`date_trunc('week', (${day})::timestamp)::date`;
  return sql`to_char(${start}, 'YYYY-MM-DD')`;
}

/** The UTC day of a timestamptz column. */
const utcDay = (column: SQL) => sql`(${column} at time zone 'UTC')::date`;

/** A timestamptz column inside the range's UTC days (index-friendly bounds). */
function inUtcDays(column: SQL, range: Range): SQL {
  return sql`${column} >= (${range.from}::date)::timestamp at time zone 'UTC'
    and ${column} < (${range.to}::date + 1)::timestamp at time zone 'UTC'`;
}

/**
 * Per period and key, and per key over the range: `count(*)` as n and `count(distinct person)` as people.
 * `rows` selects `period`, `key` and `person` (text).
 */
async function grouped(db: Db, rows: SQL): Promise<GroupedCount[]> {
  const result = await queryRows<{ period: string | null; key: string | null; n: number; people: number }>(
    db,
    sql`with d as (${rows})
        select period, key, count(*)::int as n, count(distinct person)::int as people
        from d group by grouping sets ((period, key), (key))`,
  );
  return result.map((r) => ({ period: r.period, key: r.key, n: Number(r.n), people: Number(r.people) }));
}

const SLICE_COLUMN: Record<AnalyticsSlice, SQL> = {
  role: sql.raw('role'),
  department: sql.raw('department'),
  team: sql.raw('team'),
};

/** usage_days in the range: `key` = the given column (or none), `person` = who. */
function usageRows(granularity: AnalyticsGranularity, range: Range, key: SQL | null): SQL {
  return sql`select ${periodOf(granularity, sql.raw('day'))} as period, ${key ?? sql`null::text`} as key,
      person_id::text as person
    from usage_days where day between ${range.from}::date and ${range.to}::date`;
}

/** Distinct active people per period: in total (`key` null), by role, or by an org slice of the day. */
export function activePeople(
  db: Db,
  granularity: AnalyticsGranularity,
  range: Range,
  by: AnalyticsSlice | null,
): Promise<GroupedCount[]> {
  return grouped(db, usageRows(granularity, range, by ? SLICE_COLUMN[by] : null));
}

/** Distinct active people per period and surface (a day with two surfaces counts in each). */
export function activePeopleBySurface(db: Db, granularity: AnalyticsGranularity, range: Range) {
  return grouped(
    db,
    sql`select ${periodOf(granularity, sql.raw('u.day'))} as period, s.surface as key, u.person_id::text as person
      from usage_days u cross join lateral jsonb_array_elements_text(u.surfaces) as s(surface)
      where u.day between ${range.from}::date and ${range.to}::date`,
  );
}

/** Distinct people active on any day of `range` (weekly active users). */
export async function distinctActive(db: Db, range: Range): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct person_id)::int as n from usage_days
        where day between ${range.from}::date and ${range.to}::date`,
  );
  return Number(row?.n ?? 0);
}

/** What counts as a capture: every insight a person wrote (app, API, demo data), not public form responses. */
const CAPTURED = sql`i.source <> 'form'`;

export type CaptureDimension = 'total' | 'event' | 'team';

/** Captures per period (by captured_at's UTC day): in total, by event id, or by the author's current team. */
export function captures(db: Db, granularity: AnalyticsGranularity, range: Range, by: CaptureDimension) {
  const key = by === 'event' ? sql`i.event_id::text` : by === 'team' ? sql`p.team` : sql`null::text`;
  return grouped(
    db,
    sql`select ${periodOf(granularity, utcDay(sql`i.captured_at`))} as period, ${key} as key,
        i.author_id::text as person
      from insights i join people p on p.id = i.author_id
      where ${CAPTURED} and ${inUtcDays(sql`i.captured_at`, range)}`,
  );
}

/** Names of events by id (for the captures-by-event labels). */
export async function eventNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id::text as id, name from events where id::text in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Distinct authors among `personIds` with at least one capture in the range (adoption). */
export async function capturingAmong(db: Db, range: Range, personIds: readonly string[]): Promise<number> {
  if (personIds.length === 0) return 0;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct i.author_id)::int as n from insights i
        where ${CAPTURED} and ${inUtcDays(sql`i.captured_at`, range)}
          and i.author_id::text in (${sql.join(
            personIds.map((id) => sql`${id}`),
            sql`, `,
          )})`,
  );
  return Number(row?.n ?? 0);
}

export interface OfflineRow {
  period: string | null;
  saves: number;
  offlineSaves: number;
  reconnects: number;
  durations: number;
  p50: number | null;
  p95: number | null;
  synced: number;
  failed: number;
}

/**
 * Capture-app telemetry per period (by the event's `at`, UTC day) and over the range: saves by mode, reconnects,
 * offline durations (count, continuous p50/p95 in ms) and sync sends that reached the server or failed.
 */
export async function offline(
  db: Db,
  granularity: AnalyticsGranularity,
  range: Range,
): Promise<OfflineRow[]> {
  const rows = await queryRows<Record<string, string | number | null>>(
    db,
    sql`with d as (
        select ${periodOf(granularity, utcDay(sql`occurred_at`))} as period, kind, value,
               attrs ->> 'mode' as mode, attrs ->> 'result' as result
        from client_telemetry
        where kind in ('tap_to_saved_ms', 'reconnect', 'offline_duration_ms', 'sync_outcome')
          and ${inUtcDays(sql`occurred_at`, range)})
      select period,
        count(*) filter (where kind = 'tap_to_saved_ms' and mode in ('online', 'offline'))::int as saves,
        count(*) filter (where kind = 'tap_to_saved_ms' and mode = 'offline')::int as offline_saves,
        count(*) filter (where kind = 'reconnect')::int as reconnects,
        count(*) filter (where kind = 'offline_duration_ms')::int as durations,
        percentile_cont(0.5) within group (order by value) filter (where kind = 'offline_duration_ms') as p50,
        percentile_cont(0.95) within group (order by value) filter (where kind = 'offline_duration_ms') as p95,
        count(*) filter (where kind = 'sync_outcome' and result in ('created', 'duplicate'))::int as synced,
        count(*) filter (where kind = 'sync_outcome' and result = 'failed')::int as failed
      from d group by grouping sets ((period), ())`,
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    period: r.period === null ? null : String(r.period),
    saves: Number(r.saves),
    offlineSaves: Number(r.offline_saves),
    reconnects: Number(r.reconnects),
    durations: Number(r.durations),
    p50: num(r.p50),
    p95: num(r.p95),
    synced: Number(r.synced),
    failed: Number(r.failed),
  }));
}

/**
 * Engagement events of one kind per period (by occurred_at, UTC day) and surface — or the export format — with
 * the number of events (n) and of distinct people (people).
 */
export function engagement(
  db: Db,
  granularity: AnalyticsGranularity,
  range: Range,
  kind: 'view' | 'export',
  by: 'surface' | 'format' = 'surface',
) {
  const key = by === 'surface' ? sql`surface` : sql`details ->> 'format'`;
  return grouped(
    db,
    sql`select ${periodOf(granularity, utcDay(sql`occurred_at`))} as period, ${key} as key,
        person_id::text as person
      from usage_events where kind = ${kind} and ${inUtcDays(sql`occurred_at`, range)}`,
  );
}
