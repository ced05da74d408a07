import { and, arrayContains, eq, gte, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { InsightFilter } from '../../../contract/api/insights.ts';
import type { ReportQuery } from '../../../contract/api/reporting.ts';
import { PeriodError, type ResolvedPeriod, resolvePeriod } from '../../../contract/reporting.ts';
import { insights, people } from '../../db/schema.ts';
import { ValidationError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';
import { insightReadScope } from './insights.policy.ts';

/**
 * The insight filter as SQL: one meaning for every screen, export and API that takes it (the list, saved
 * views, dashboard drill-downs, leaderboard, themes, executive report, CSV). docs/reporting.md defines it.
 */

const DAY_MS = 86_400_000;

/** The full-text query of `q`: web-search syntax ("quoted phrase", OR, -exclude), English stemming. */
export function searchQuery(q: string): SQL {
  return sql`websearch_to_tsquery('english', ${q})`;
}

/** Captured on or after the start of `from` (a UTC day). */
export function capturedFrom(day: string): SQL {
  return gte(insights.capturedAt, new Date(`${day}T00:00:00.000Z`));
}

/** Captured before the end of `to` (a UTC day, inclusive). */
export function capturedThrough(day: string): SQL {
  return lt(insights.capturedAt, new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS));
}

export function filterConditions(f: Partial<InsightFilter>): SQL[] {
  const where: SQL[] = [];
  if (f.q) where.push(sql`${insights.searchVector} @@ ${searchQuery(f.q)}`);
  if (f.type) where.push(eq(insights.type, f.type));
  if (f.sentiment) where.push(eq(insights.sentiment, f.sentiment));
  if (f.priority) where.push(eq(insights.priority, f.priority));
  if (f.productArea) where.push(arrayContains(insights.productAreas, [f.productArea]));
  if (f.eventId) where.push(eq(insights.eventId, f.eventId));
  if (f.sessionId) where.push(eq(insights.sessionId, f.sessionId));
  if (f.authorId) where.push(eq(insights.authorId, f.authorId));
  if (f.team)
    where.push(
      sql`${insights.authorId} in (select ${people.id} from ${people} where ${people.team} = ${f.team})`,
    );
  if (f.tags && f.tags.length > 0) where.push(arrayContains(insights.tags, f.tags));
  if (f.source) where.push(eq(insights.source, f.source));
  if (f.followUp !== undefined) where.push(eq(insights.followUp, f.followUp));
  if (f.followUpStatus) where.push(eq(insights.followUpStatus, f.followUpStatus));
  if (f.followUpOwnerId) where.push(eq(insights.followUpOwnerId, f.followUpOwnerId));
  if (f.from) where.push(capturedFrom(f.from));
  if (f.to) where.push(capturedThrough(f.to));
  return where;
}

/**
 * What reports count for an actor: insights in their read scope that are not merged into another (a merged
 * duplicate counts once, as its primary).
 */
export function reportableScope(actor: Actor): SQL {
  return and(insightReadScope(actor), isNull(insights.mergedIntoId)) as SQL;
}

export interface ResolvedReportQuery {
  /** The filter without its date range (the period replaces it). */
  filter: Omit<InsightFilter, 'from' | 'to'>;
  period: ResolvedPeriod;
}

/**
 * Splits a report query into its filter and its period. `from`/`to` belong to period=custom only; any other
 * period with them is a 400 naming the field, so a report never silently ignores part of what was asked.
 */
export function resolveReportQuery(query: ReportQuery, today: string): ResolvedReportQuery {
  const { period, at, from, to, ...filter } = query;
  if (period !== 'custom') {
    const stray = from !== undefined ? 'from' : to !== undefined ? 'to' : null;
    if (stray)
      throw new ValidationError('The period already sets the dates.', [
        { field: stray, message: 'is only accepted with period=custom' },
      ]);
  }
  try {
    return { filter, period: resolvePeriod({ period, at, from, to }, today) };
  } catch (err) {
    if (err instanceof PeriodError)
      throw new ValidationError('The period is not valid.', [
        { field: err.field, message: err.message.slice(err.field.length + 1) },
      ]);
    throw err;
  }
}

/** Conditions for the insights a report counts over a range of days: scope, not merged, filter, the days. */
export function reportConditions(
  actor: Actor,
  filter: Omit<InsightFilter, 'from' | 'to'>,
  days: { from: string; to: string },
): SQL {
  return and(
    reportableScope(actor),
    ...filterConditions(filter),
    capturedFrom(days.from),
    capturedThrough(days.to),
  ) as SQL;
}

/** The UTC day of an instant, YYYY-MM-DD (periods are resolved against the server's day). */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
