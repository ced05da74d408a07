import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  BugReport,
  BugReportPage,
  BugReportTriage,
  BugStatus,
} from '../../../../contract/api/bug-reports.ts';
import { api } from '../../../ui/api.ts';

export const BUG_PAGE_SIZE = 20;

/** Bug reports, newest first (one status or all), "Load more" following nextCursor; counts come with each page. */
export function useBugReports(status: BugStatus | undefined) {
  return useInfiniteQuery({
    queryKey: ['bug-reports', status ?? 'all'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<BugReportPage>('/api/v1/bug-reports', { status, limit: BUG_PAGE_SIZE, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Triage one report; every list (and its counts) refreshes, since the report may move between statuses. */
export function useTriageBugReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: BugReportTriage }) =>
      api.patch<BugReport>(`/api/v1/bug-reports/${id}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bug-reports'] }),
  });
}
