import { useCallback, useMemo } from 'react';
import {
  ANALYTICS_GRANULARITIES,
  ANALYTICS_SLICES,
  type AnalyticsGranularity,
  type AnalyticsSlice,
} from '../../../../contract/analytics.ts';
import { navigate, useSearch } from '../../nav.ts';

/**
 * What the analytics page shows, kept in the URL (a shareable address; back and forward step through changes).
 * No from/to: the server's default range (the 28 days ending today).
 */
export interface AnalyticsState {
  from: string | undefined;
  to: string | undefined;
  granularity: AnalyticsGranularity;
  slice: AnalyticsSlice;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (value: string | null) => (value !== null && DAY.test(value) ? value : undefined);

export function parseAnalyticsSearch(search: string): AnalyticsState {
  const params = new URLSearchParams(search);
  return {
    from: day(params.get('from')),
    to: day(params.get('to')),
    granularity: ANALYTICS_GRANULARITIES.find((g) => g === params.get('granularity')) ?? 'day',
    slice: ANALYTICS_SLICES.find((s) => s === params.get('slice')) ?? 'role',
  };
}

/** The query string of a state (defaults left out), also the API's query. */
export function analyticsParams(state: AnalyticsState): Record<string, string> {
  const params: Record<string, string> = {};
  if (state.from !== undefined) params.from = state.from;
  if (state.to !== undefined) params.to = state.to;
  if (state.granularity !== 'day') params.granularity = state.granularity;
  if (state.slice !== 'role') params.slice = state.slice;
  return params;
}

export function useAnalyticsState() {
  const search = useSearch();
  const state = useMemo(() => parseAnalyticsSearch(search), [search]);
  const setState = useCallback((next: AnalyticsState) => {
    const query = new URLSearchParams(analyticsParams(next)).toString();
    navigate(`${window.location.pathname}${query === '' ? '' : `?${query}`}`);
  }, []);
  return [state, setState] as const;
}
