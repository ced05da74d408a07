import type { MetricCard, PeriodInfo } from '../../../../contract/api/reporting.ts';
import {
  INSIGHT_TYPES,
  PRIORITIES,
  PRODUCT_AREAS,
  SENTIMENTS,
  type TaxonomyEntry,
} from '../../../../contract/taxonomy.ts';
import { insightsHref } from '../insights/filterUrl.ts';
import { type FilterKey, filterFor, type ReportState } from '../reports/reportQuery.ts';

/**
 * Where a click on the dashboard leads: the Insights page with the view's filter, the period's days (the
 * server's resolved period) and the clicked key on top. Pure, so every mapping is unit-tested.
 */

export const DIMENSIONS = {
  type: INSIGHT_TYPES,
  sentiment: SENTIMENTS,
  priority: PRIORITIES,
  productArea: PRODUCT_AREAS,
} as const satisfies Record<string, readonly TaxonomyEntry[]>;
export type Dimension = keyof typeof DIMENSIONS;

type Days = Pick<PeriodInfo, 'from' | 'to'>;

/** The Insights page for the view plus `extra` (a key the person clicked). */
export function drillHref(
  state: ReportState,
  period: Days,
  extra: Partial<Record<FilterKey | 'from' | 'to', string>> = {},
): string {
  return insightsHref(filterFor(state, period, extra));
}

/**
 * A distribution's bar or slice. Null for a stored id the taxonomy no longer lists (kept in reports so totals
 * add up, but the list filter only takes current ids): that row is shown, not linked.
 */
export function dimensionHref(state: ReportState, period: Days, dimension: Dimension, key: string) {
  const known = (DIMENSIONS[dimension] as readonly TaxonomyEntry[]).some((entry) => entry.id === key);
  return known ? drillHref(state, period, { [dimension]: key }) : null;
}

/**
 * One day of the trend: that day only (the trend spans 90 days, beyond the period), the sentiment too when a
 * sentiment's part of the bar was clicked.
 */
export function trendDayHref(state: ReportState, day: string, sentiment?: string): string {
  return drillHref(state, { from: day, to: day }, sentiment === undefined ? {} : { sentiment });
}

/**
 * A metric card, when the insight filter can list exactly what it counts; null for counts of people, events
 * or follow-up states (those are not one list of insights).
 */
export function cardHref(state: ReportState, period: Days, key: MetricCard['key']): string | null {
  switch (key) {
    case 'insights':
      return drillHref(state, period);
    case 'critical':
      return drillHref(state, period, { priority: 'critical' });
    case 'negative':
      return drillHref(state, period, { sentiment: 'negative' });
    case 'feature_requests':
      return drillHref(state, period, { type: 'feature_request' });
    default:
      return null;
  }
}

export const eventHref = (state: ReportState, period: Days, eventId: string) =>
  drillHref(state, period, { eventId });

export const authorHref = (state: ReportState, period: Days, authorId: string) =>
  drillHref(state, period, { authorId });
