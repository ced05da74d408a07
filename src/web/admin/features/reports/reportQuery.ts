import type { InsightFilterInput } from '../../../../contract/api/insights.ts';
import type { ReportQueryInput } from '../../../../contract/api/reporting.ts';
import {
  PeriodError,
  REPORT_PERIODS,
  type ReportPeriod,
  type ResolvedPeriod,
  resolvePeriod,
} from '../../../../contract/reporting.ts';
import { FILTER_KEYS as URL_FILTER_KEYS, type FilterKey as UrlFilterKey } from '../insights/filterUrl.ts';

/**
 * The reporting views' state as it lives in the URL (?period=month&at=2026-11-03&type=bug_report…), so a view
 * is shareable and back/forward work. Pure: parsing, writing and turning it into API parameters; the server
 * validates again and its `period` answer is the truth.
 */

/** Every filter key of the one insight filter except its dates (the period sets those). */
export type FilterKey = Exclude<UrlFilterKey, 'from' | 'to'>;
export const FILTER_KEYS: readonly FilterKey[] = URL_FILTER_KEYS.filter(
  (key): key is FilterKey => key !== 'from' && key !== 'to',
);

/** The filters the shared control offers; any other filter key in the URL is kept and shown as a chip. */
export const MAIN_FILTERS = [
  'type',
  'productArea',
  'sentiment',
  'priority',
  'eventId',
  'team',
  'source',
] as const satisfies readonly FilterKey[];
export type MainFilter = (typeof MAIN_FILTERS)[number];

/** The URL state of a reporting view: a period choice and string filters (as the API takes them). */
export interface ReportState {
  period: ReportPeriod;
  at?: string;
  from?: string;
  to?: string;
  filter: Partial<Record<FilterKey, string>>;
}

export const CALENDAR_PERIODS: readonly ReportPeriod[] = ['week', 'month', 'quarter'];
export const isCalendar = (period: ReportPeriod) => CALENDAR_PERIODS.includes(period);

const isPeriod = (value: string | null): value is ReportPeriod =>
  value !== null && (REPORT_PERIODS as readonly string[]).includes(value);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The state a URL's query string describes. Unknown parameters are dropped (the API rejects them); an
 * unknown period falls back to `fallback`; blank values count as absent. Values are not otherwise validated:
 * the server answers a bad one with a 400 naming the field, which the page shows.
 */
export function parseReportSearch(search: string, fallback: ReportPeriod = 'last30'): ReportState {
  const params = new URLSearchParams(search);
  const value = (key: string) => {
    const raw = params.get(key)?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const period = params.get('period');
  const state: ReportState = { period: isPeriod(period) ? period : fallback, filter: {} };
  for (const key of ['at', 'from', 'to'] as const) {
    const day = value(key);
    if (day !== undefined) state[key] = day;
  }
  for (const key of FILTER_KEYS) {
    const v = value(key);
    if (v !== undefined) state.filter[key] = v;
  }
  return state;
}

/**
 * The dates that belong to the period: from/to only with custom, at only with week/month/quarter (the API
 * answers from/to with another period as a 400, so they never leave the page that way).
 */
function periodParams(state: ReportState): Pick<ReportState, 'at' | 'from' | 'to'> {
  if (state.period === 'custom') return { from: state.from, to: state.to };
  if (isCalendar(state.period)) return { at: state.at };
  return {};
}

/**
 * The query string of a state ("?period=month&type=bug_report"). The page's default period is left out;
 * `fallback` null always names it (a link to another page, whose default may differ).
 */
export function reportSearch(state: ReportState, fallback: ReportPeriod | null = 'last30'): string {
  const params = new URLSearchParams();
  if (state.period !== fallback) params.set('period', state.period);
  for (const [key, value] of Object.entries(periodParams(state))) if (value) params.set(key, value);
  for (const key of FILTER_KEYS) {
    const value = state.filter[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** What the reporting endpoints get: ReportQuery fields as strings (also the summary request's JSON body). */
export function reportParams(state: ReportState): ReportQueryInput & Record<string, string> {
  const params: Record<string, string> = { period: state.period };
  for (const [key, value] of Object.entries(periodParams(state))) if (value) params[key] = value;
  for (const key of FILTER_KEYS) {
    const value = state.filter[key];
    if (value !== undefined && value !== '') params[key] = value;
  }
  return params as ReportQueryInput & Record<string, string>;
}

/** A filter changed (undefined or '' removes it); the period stays. */
export function withFilter(state: ReportState, key: FilterKey, value: string | undefined): ReportState {
  const filter = { ...state.filter };
  if (value === undefined || value.trim() === '') delete filter[key];
  else filter[key] = value.trim();
  return { ...state, filter };
}

/**
 * Another period. Switching to custom starts from the days shown now (`shown`, the server's resolved period),
 * so the person adjusts a range instead of typing two dates; other periods drop the custom days.
 */
export function withPeriod(
  state: ReportState,
  period: ReportPeriod,
  shown?: Pick<ResolvedPeriod, 'from' | 'to'>,
): ReportState {
  const { at, from, to, ...rest } = state;
  if (period === 'custom') {
    return { ...rest, period, from: from ?? shown?.from, to: to ?? shown?.to };
  }
  if (isCalendar(period)) return at === undefined ? { ...rest, period } : { ...rest, period, at };
  return { ...rest, period };
}

/** One of the period's days changed (at, from or to); blank removes it. */
export function withDay(state: ReportState, key: 'at' | 'from' | 'to', day: string): ReportState {
  const next = { ...state };
  if (day === '') delete next[key];
  else next[key] = day;
  return next;
}

/** All filters removed, the period kept. */
export const withoutFilters = (state: ReportState): ReportState => ({ ...state, filter: {} });

/** The YYYY-MM-DD of today in UTC, as the server counts days. */
export const todayUtc = (now: Date = new Date()) => now.toISOString().slice(0, 10);

/**
 * The period as this page would resolve it, for display before the server answers (the server's `period` is
 * the truth once it does), or the reason it cannot be resolved, naming the field.
 */
export function previewPeriod(
  state: ReportState,
  today: string,
): { period: ResolvedPeriod; error: null } | { period: null; error: { field: string; message: string } } {
  const days = periodParams(state);
  for (const key of ['at', 'from', 'to'] as const) {
    const day = days[key];
    if (day !== undefined && !DAY.test(day)) {
      return { period: null, error: { field: key, message: 'must be a date as YYYY-MM-DD' } };
    }
  }
  try {
    return { period: resolvePeriod({ period: state.period, ...days }, today), error: null };
  } catch (err) {
    if (err instanceof PeriodError) {
      return { period: null, error: { field: err.field, message: err.message.slice(err.field.length + 1) } };
    }
    throw err;
  }
}

/**
 * The insight filter of the view over the period's days (the resolved period from the server): what the
 * Insights page and the insights CSV export get, with `extra` (the clicked key of a drill-down) on top.
 */
export function filterFor(
  state: ReportState,
  period: Pick<ResolvedPeriod, 'from' | 'to'>,
  extra: Partial<Record<FilterKey | 'from' | 'to', string>> = {},
): InsightFilterInput {
  const filter: Record<string, string> = { ...(state.filter as Record<string, string>) };
  filter.from = period.from;
  filter.to = period.to;
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) filter[key] = value;
  return filter as InsightFilterInput;
}

/** `?a=1&b=2` of string params, blanks left out (the export links). */
export function searchOf(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
