import {
  ANALYTICS_DEFAULT_DAYS,
  ANALYTICS_MAX_DAYS,
  type AnalyticsGranularity,
  type AnalyticsPeriod,
} from '../../../contract/api/analytics.ts';
import { ValidationError } from '../../errors.ts';

/** Periods of the analytics: UTC days, or ISO weeks (Monday to Sunday, UTC) cut to the range. */

const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface AnalyticsRange {
  from: string;
  to: string;
  days: number;
}

/**
 * The range a query asks for: `to` defaults to today (UTC), `from` to 27 days before `to` (28 days). `from`
 * after `to`, or more than ANALYTICS_MAX_DAYS days, is a 400 naming the field.
 */
export function resolveRange(query: { from?: string | undefined; to?: string | undefined }, today: string) {
  const to = query.to ?? today;
  const from = query.from ?? isoDay(dayMs(to) - (ANALYTICS_DEFAULT_DAYS - 1) * DAY_MS);
  if (from > to)
    throw new ValidationError('The range is not valid.', [
      { field: 'query.from', message: `must not be after to (${to})` },
    ]);
  const days = Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;
  if (days > ANALYTICS_MAX_DAYS)
    throw new ValidationError('The range is too long.', [
      {
        field: 'query.to',
        message: `must be at most ${ANALYTICS_MAX_DAYS} days from from (the range has ${days})`,
      },
    ]);
  return { from, to, days } satisfies AnalyticsRange;
}

/** The Monday (UTC) of the ISO week containing `day`. */
export function isoWeekStart(day: string): string {
  const ms = dayMs(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0
  return isoDay(ms - weekday * DAY_MS);
}

/** "2026-W47": the ISO week-numbering year (that of the week's Thursday) and week number. */
export function isoWeekLabel(monday: string): string {
  const thursday = new Date(dayMs(monday) + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every period of the range, in order, including those without any data. */
export function periodsOf(range: AnalyticsRange, granularity: AnalyticsGranularity): AnalyticsPeriod[] {
  const out: AnalyticsPeriod[] = [];
  if (granularity === 'day') {
    for (let ms = dayMs(range.from); ms <= dayMs(range.to); ms += DAY_MS) {
      const day = isoDay(ms);
      out.push({ key: day, label: day, from: day, to: day, complete: true });
    }
    return out;
  }
  for (let ms = dayMs(isoWeekStart(range.from)); ms <= dayMs(range.to); ms += 7 * DAY_MS) {
    const monday = isoDay(ms);
    const sunday = isoDay(ms + 6 * DAY_MS);
    const from = monday < range.from ? range.from : monday;
    const to = sunday > range.to ? range.to : sunday;
    out.push({
      key: monday,
      label: isoWeekLabel(monday),
      from,
      to,
      complete: from === monday && to === sunday,
    });
  }
  return out;
}

/** The 7 UTC days ending `to` (weekly active users). */
export function weekEnding(to: string): { from: string; to: string } {
  return { from: isoDay(dayMs(to) - 6 * DAY_MS), to };
}
