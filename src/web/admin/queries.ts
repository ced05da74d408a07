import { MutationCache, QueryCache, QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { DashboardSummary, InsightPage } from '../../contract/api/insights.ts';
import type { Me } from '../../contract/api/me.ts';
import type { InsightType, Priority, ProductArea, Sentiment } from '../../contract/taxonomy.ts';
import { ApiError, api } from '../ui/api.ts';
import { loadMe } from '../ui/session.ts';
import { noteError } from './stepUp.ts';

/** Client errors (4xx) are answers, not glitches: retrying them only delays the message. */
function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: noteError }),
    mutationCache: new MutationCache({ onError: noteError }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
    },
  });
}

export function useMe() {
  return useQuery<Me>({ queryKey: ['me'], queryFn: () => loadMe(), staleTime: Number.POSITIVE_INFINITY });
}

export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];

export function useSummary(days: Period) {
  return useQuery<DashboardSummary>({
    queryKey: ['dashboard-summary', days],
    queryFn: () => api.get<DashboardSummary>('/api/v1/dashboard/summary', { days }),
    placeholderData: (previous) => previous,
  });
}

/** Server-side filters of the insights list; undefined means "All". */
export interface InsightFilters {
  type?: InsightType;
  sentiment?: Sentiment;
  priority?: Priority;
  productArea?: ProductArea;
}

export const PAGE_SIZE = 25;

/** Pages of insights in scope, newest first, following nextCursor until the server says there is no more. */
export function useInsightPages(filters: InsightFilters) {
  return useInfiniteQuery({
    queryKey: ['insights', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<InsightPage>('/api/v1/insights', { ...filters, limit: PAGE_SIZE, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}
