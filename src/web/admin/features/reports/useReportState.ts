import { useCallback, useMemo } from 'react';
import type { ReportPeriod } from '../../../../contract/reporting.ts';
import { navigate, useSearch } from '../../nav.ts';
import { parseReportSearch, type ReportState, reportSearch } from './reportQuery.ts';

/**
 * The period and filter of a reporting view, kept in the URL: every change is a history entry (back and
 * forward step through them) and the address is the shareable view. `fallback` is the page's default period.
 */
export function useReportState(fallback: ReportPeriod = 'last30') {
  const search = useSearch();
  const state = useMemo(() => parseReportSearch(search, fallback), [search, fallback]);
  const setState = useCallback(
    (next: ReportState) => navigate(`${window.location.pathname}${reportSearch(next, fallback)}`),
    [fallback],
  );
  return [state, setState] as const;
}
