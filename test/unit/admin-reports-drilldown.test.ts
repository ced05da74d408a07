import { describe, expect, it } from 'vitest';
import { InsightFilter } from '../../src/contract/api/insights.ts';
import type { Theme } from '../../src/contract/api/reporting.ts';
import { barOption, barRow, pieRow } from '../../src/web/admin/features/dashboard/chartOptions.ts';
import {
  authorHref,
  cardHref,
  dimensionHref,
  eventHref,
  trendDayHref,
} from '../../src/web/admin/features/dashboard/drilldown.ts';
import { paramsToFilter } from '../../src/web/admin/features/insights/filterUrl.ts';
import { parseReportSearch } from '../../src/web/admin/features/reports/reportQuery.ts';
import { themeHref, themeQuery } from '../../src/web/admin/features/themes/themeLinks.ts';

const EVENT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const AUTHOR = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const view = parseReportSearch('?period=month&at=2026-11-03&sentiment=negative&team=amer');

/** The filter an Insights link carries, checked against the API's own schema (the list must accept it). */
function filterOf(href: string | null) {
  expect(href).not.toBeNull();
  const url = new URL(href ?? '', 'http://x');
  expect(url.pathname).toBe('/admin/insights');
  const filter = paramsToFilter(url.search);
  expect(InsightFilter.safeParse(filter).success).toBe(true);
  return filter;
}

describe('dashboard drill-downs land on the Insights page with the view, the period and the clicked key', () => {
  it('a bar of a distribution adds its key to the filter over the resolved period', () => {
    expect(filterOf(dimensionHref(view, NOVEMBER, 'type', 'bug_report'))).toEqual({
      type: 'bug_report',
      sentiment: 'negative',
      team: 'amer',
      ...NOVEMBER,
    });
    expect(filterOf(dimensionHref(view, NOVEMBER, 'productArea', 'atlas_search')).productArea).toBe(
      'atlas_search',
    );
    // The clicked sentiment replaces the view's.
    expect(filterOf(dimensionHref(view, NOVEMBER, 'sentiment', 'positive')).sentiment).toBe('positive');
  });

  it('a stored id the taxonomy no longer lists is shown, not linked (the list would refuse it)', () => {
    expect(dimensionHref(view, NOVEMBER, 'type', 'retired_type')).toBeNull();
  });

  it('a trend day is that day only, with the sentiment when its part of the bar was clicked', () => {
    expect(filterOf(trendDayHref(view, '2026-09-14'))).toEqual({
      sentiment: 'negative',
      team: 'amer',
      from: '2026-09-14',
      to: '2026-09-14',
    });
    expect(filterOf(trendDayHref(view, '2026-09-14', 'positive')).sentiment).toBe('positive');
  });

  it('an event or a contributor adds its id', () => {
    expect(filterOf(eventHref(view, NOVEMBER, EVENT)).eventId).toBe(EVENT);
    expect(filterOf(authorHref(view, NOVEMBER, AUTHOR))).toMatchObject({ authorId: AUTHOR, ...NOVEMBER });
  });

  it('metric cards link only where the filter lists exactly what they count', () => {
    const plain = parseReportSearch('');
    expect(filterOf(cardHref(plain, NOVEMBER, 'insights'))).toEqual(NOVEMBER);
    expect(filterOf(cardHref(plain, NOVEMBER, 'critical'))).toEqual({ priority: 'critical', ...NOVEMBER });
    expect(filterOf(cardHref(plain, NOVEMBER, 'negative'))).toEqual({ sentiment: 'negative', ...NOVEMBER });
    expect(filterOf(cardHref(plain, NOVEMBER, 'feature_requests')).type).toBe('feature_request');
    for (const key of ['contributors', 'events', 'follow_ups_open'] as const) {
      expect(cardHref(plain, NOVEMBER, key)).toBeNull();
    }
  });

  it('a click on a chart finds the row it drew (bars are drawn bottom-up; pies skip zero rows)', () => {
    const rows = [
      { key: 'a', label: 'A', count: 3 },
      { key: 'b', label: 'B', count: 0 },
      { key: 'c', label: 'C', count: 5 },
    ];
    const option = barOption(rows) as { yAxis: { data: string[] } };
    expect(option.yAxis.data).toEqual(['C', 'B', 'A']);
    expect(barRow(rows, 0)?.key).toBe('c');
    expect(barRow(rows, 2)?.key).toBe('a');
    expect(pieRow(rows, 1)?.key).toBe('c');
  });
});

describe('theme links', () => {
  const theme = { query: '"vector search" latency' } as Theme;

  it("list exactly the theme's insights in the view's period and filter", () => {
    expect(filterOf(themeHref(view, NOVEMBER, theme))).toEqual({
      q: '"vector search" latency',
      sentiment: 'negative',
      team: 'amer',
      ...NOVEMBER,
    });
  });

  it("keep the view's own search (both must match)", () => {
    const searched = parseReportSearch('?q=atlas');
    expect(themeQuery(searched, theme)).toBe('atlas "vector search" latency');
  });
});
