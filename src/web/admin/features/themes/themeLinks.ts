import type { PeriodInfo, Theme } from '../../../../contract/api/reporting.ts';
import { insightsHref } from '../insights/filterUrl.ts';
import { filterFor, type ReportState } from '../reports/reportQuery.ts';

/**
 * The search that lists a theme's insights within the view: the theme's own `q`, and the view's search as
 * well when it has one (web-search syntax: two queries side by side must both match).
 */
export function themeQuery(state: ReportState, theme: Pick<Theme, 'query'>): string {
  const own = state.filter.q;
  return own === undefined ? theme.query : `${own} ${theme.query}`;
}

/** The Insights page with exactly the insights behind a theme: its query, the view's filter and period. */
export function themeHref(
  state: ReportState,
  period: Pick<PeriodInfo, 'from' | 'to'>,
  theme: Pick<Theme, 'query'>,
) {
  return insightsHref(filterFor(state, period, { q: themeQuery(state, theme) }));
}
