import { and, asc, count, countDistinct, desc, eq, gte, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { InsightRef } from '../../../contract/api/reporting.ts';
import type { FollowUpStatus } from '../../../contract/reporting.ts';
import { PRODUCT_AREAS } from '../../../contract/taxonomy.ts';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { eventSessions, events, insights, people } from '../../db/schema.ts';
import { baseQuery, toInsight } from '../insights/insights.repo.ts';

/**
 * Aggregate SQL behind the dashboard, the executive report and (via the same conditions) exports. Every function
 * takes `where`: the complete condition (scope, not merged, filter, days) from reportConditions in
 * insights/insights.filter.ts, so each number means one thing. docs/reporting.md defines every number.
 */

export interface KeyCount {
  key: string;
  count: number;
}

/** Follow-up statuses that count as "open" on the dashboard. */
export const OPEN_FOLLOW_UP: readonly FollowUpStatus[] = ['open', 'in_progress'];

const countWhere = (condition: SQL) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);

export interface MetricCounts {
  insights: number;
  critical: number;
  negative: number;
  feature_requests: number;
  contributors: number;
  events: number;
  follow_ups_open: number;
}

/** The columns the period aggregates read, under plain names (the `m` the metric SQL below reads from). */
const periodRows = (where: SQL) =>
  sql`select ${insights.type} as type, ${insights.sentiment} as sentiment, ${insights.priority} as priority,
        ${insights.authorId} as author_id, ${insights.eventId} as event_id,
        ${insights.followUpStatus} as follow_up_status, ${insights.productAreas} as product_areas
      from ${insights} where ${where}`;

/** Every metric card's number over the rows of `m`, as one JSON object: the one definition of each card. */
const metricsJson = () =>
  sql`(select json_build_object(
        'insights', count(*),
        'critical', count(*) filter (where priority = 'critical'),
        'negative', count(*) filter (where sentiment = 'negative'),
        'feature_requests', count(*) filter (where type = 'feature_request'),
        'contributors', count(distinct author_id),
        'events', count(distinct event_id),
        'follow_ups_open', count(*) filter (where follow_up_status in (${sql.join(
          OPEN_FOLLOW_UP.map((status) => sql`${status}`),
          sql`, `,
        )}))) from m)`;

function toMetricCounts(
  metrics: Partial<Record<keyof MetricCounts, number | string>> | undefined,
): MetricCounts {
  const n = (key: keyof MetricCounts) => Number(metrics?.[key] ?? 0);
  return {
    insights: n('insights'),
    critical: n('critical'),
    negative: n('negative'),
    feature_requests: n('feature_requests'),
    contributors: n('contributors'),
    events: n('events'),
    follow_ups_open: n('follow_ups_open'),
  };
}

/** Every metric card's number in one aggregate (the previous period's cards; periodSummary has the current). */
export async function metricCounts(db: Db, where: SQL): Promise<MetricCounts> {
  const [row] = await queryRows<{ metrics: Record<keyof MetricCounts, number | string> }>(
    db,
    sql`with m as (${periodRows(where)}) select ${metricsJson()} as metrics`,
  );
  return toMetricCounts(row?.metrics);
}

export interface PeriodSummary {
  metrics: MetricCounts;
  byType: KeyCount[];
  bySentiment: KeyCount[];
  byPriority: KeyCount[];
  byProductArea: KeyCount[];
}

type JsonCounts = { key: string; count: number }[] | null;

/**
 * The metric cards and the four distributions of one period in one statement: the matching rows are read once
 * (a materialized CTE of the columns the aggregates need) instead of once per aggregate (test/api/dashboard.test.ts
 * checks every number against an independent model); on 1 M insights it saves four reads of the period's rows
 * (docs/performance.md).
 */
export async function periodSummary(db: Db, where: SQL): Promise<PeriodSummary> {
  const counts = (column: string) =>
    sql.raw(`(select json_agg(json_build_object('key', k, 'count', n)) from (
      select ${column} as k, count(*) as n from m group by ${column}) g)`);
  const [row] = await queryRows<{
    metrics: Record<keyof MetricCounts, number | string>;
    by_type: JsonCounts;
    by_sentiment: JsonCounts;
    by_priority: JsonCounts;
    by_area: JsonCounts;
  }>(
    db,
    sql`with m as materialized (${periodRows(where)})
        select ${metricsJson()} as metrics,
          ${counts('type')} as by_type,
          ${counts('sentiment')} as by_sentiment,
          ${counts('priority')} as by_priority,
          (select json_agg(json_build_object('key', k, 'count', n)) from (
            select area as k, count(*) as n from m, unnest(m.product_areas) as area group by area) g) as by_area`,
  );
  const list = (counts: JsonCounts) => (counts ?? []).map((c) => ({ key: c.key, count: Number(c.count) }));
  return {
    metrics: toMetricCounts(row?.metrics),
    byType: list(row?.by_type ?? null),
    bySentiment: list(row?.by_sentiment ?? null),
    byPriority: list(row?.by_priority ?? null),
    byProductArea: list(row?.by_area ?? null),
  };
}

export async function countByColumn(
  db: Db,
  where: SQL,
  column: 'type' | 'sentiment' | 'priority',
): Promise<KeyCount[]> {
  const col = insights[column];
  const rows = await db.select({ key: col, count: count() }).from(insights).where(where).groupBy(col);
  return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
}

/** Since a day, within a scope (the capturer's own-impact page uses it; reports use countByColumn). */
export async function countBy(
  db: Db,
  scope: SQL,
  since: Date,
  column: 'type' | 'sentiment' | 'priority',
): Promise<KeyCount[]> {
  return countByColumn(db, and(scope, gte(insights.capturedAt, since)) as SQL, column);
}

export interface DailyCount {
  date: string;
  total: number;
  positive: number;
  neutral: number;
  negative: number;
}

/** Per UTC day of captured_at; days without insights are absent here and filled by the service. */
export async function dailyCounts(db: Db, where: SQL): Promise<DailyCount[]> {
  const day = sql<string>`to_char((${insights.capturedAt} at time zone 'UTC')::date, 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      date: day,
      total: count(),
      positive: countWhere(eq(insights.sentiment, 'positive')),
      neutral: countWhere(eq(insights.sentiment, 'neutral')),
      negative: countWhere(eq(insights.sentiment, 'negative')),
    })
    .from(insights)
    .where(where)
    .groupBy(day);
  return rows.map((r) => ({
    date: r.date,
    total: Number(r.total),
    positive: Number(r.positive),
    neutral: Number(r.neutral),
    negative: Number(r.negative),
  }));
}

export interface CoverageRow {
  id: string;
  name: string;
  startsOn: string | null;
  endsOn: string | null;
  insights: number;
  contributors: number;
  sessions: number;
  sessionsCovered: number;
}

/**
 * Events with insights matching `where`, most insights first (then name): the insights, their distinct
 * authors, the sessions the event has (all of them: a session is part of the event whoever captured) and the
 * sessions with at least one matching insight. Also the top-events list (its first rows).
 */
export async function eventCoverage(db: Db, where: SQL, limit: number): Promise<CoverageRow[]> {
  const rows = await db
    .select({
      id: events.id,
      name: events.name,
      startsOn: events.startsOn,
      endsOn: events.endsOn,
      insights: count(),
      contributors: countDistinct(insights.authorId),
      sessionsCovered: countDistinct(insights.sessionId),
      sessions: sql<number>`(select count(*) from ${eventSessions} where ${eventSessions.eventId} = ${events.id})`,
    })
    .from(insights)
    .innerJoin(events, eq(events.id, insights.eventId))
    .where(and(where, isNotNull(insights.eventId)))
    .groupBy(events.id, events.name, events.startsOn, events.endsOn)
    .orderBy(desc(count()), asc(events.name), asc(events.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    insights: Number(r.insights),
    contributors: Number(r.contributors),
    sessions: Number(r.sessions),
    sessionsCovered: Number(r.sessionsCovered),
  }));
}

export interface ContributorCount {
  id: string;
  name: string;
  team: string | null;
  count: number;
}

/** Authors with the most matching insights, then by name. */
export async function topContributors(db: Db, where: SQL, limit: number): Promise<ContributorCount[]> {
  const rows = await db
    .select({ id: people.id, name: people.displayName, team: people.team, count: count() })
    .from(insights)
    .innerJoin(people, eq(people.id, insights.authorId))
    .where(where)
    .groupBy(people.id, people.displayName, people.team)
    .orderBy(desc(count()), asc(people.displayName), asc(people.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

const EXCERPT_CHARS = 280;
const KNOWN_AREAS = new Set<string>(PRODUCT_AREAS.map((a) => a.id));

/** The first 280 characters (code points, so an emoji is never cut in half). */
export function excerptOf(text: string): string {
  return Array.from(text).slice(0, EXCERPT_CHARS).join('');
}

/** The newest matching critical-priority insights, as short references. */
export async function newestCritical(db: Db, where: SQL, limit: number): Promise<InsightRef[]> {
  const rows = await baseQuery(db)
    .where(and(where, eq(insights.priority, 'critical')))
    .orderBy(desc(insights.capturedAt), desc(insights.id))
    .limit(limit);
  return rows.map((row) => {
    const i = toInsight(row);
    return {
      id: i.id,
      title: i.title,
      excerpt: excerptOf(i.text),
      type: i.type,
      sentiment: i.sentiment,
      priority: i.priority,
      // A retired or unknown stored area id is counted in the distribution but not named on a reference.
      productAreas: i.productAreas.filter((a) => KNOWN_AREAS.has(a)),
      author: i.author,
      event: i.event,
      capturedAt: i.capturedAt,
    };
  });
}
