import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BugAssigneeList,
  BugPriority,
  BugReport,
  BugReportNote,
  BugReportPage,
  BugReportUpdate,
  BugStatus,
} from '../../../../contract/api/bug-reports.ts';
import { api } from '../../../ui/api.ts';

export const BUG_PAGE_SIZE = 20;

export interface BugListFilter {
  status: BugStatus | undefined;
  priority: BugPriority | 'none' | undefined;
  assignee: 'me' | 'none' | undefined;
}

/** Bug reports, newest first (filtered), "Load more" following nextCursor; counts come with each page. */
export function useBugReports(filter: BugListFilter) {
  return useInfiniteQuery({
    queryKey: ['bug-reports', filter.status ?? 'all', filter.priority ?? 'all', filter.assignee ?? 'all'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<BugReportPage>('/api/v1/bug-reports', { ...filter, limit: BUG_PAGE_SIZE, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The active admins a report can be assigned to. */
export function useAssignees() {
  return useQuery({
    queryKey: ['bug-reports', 'assignees'],
    queryFn: () => api.get<BugAssigneeList>('/api/v1/bug-reports/assignees'),
    staleTime: 5 * 60_000,
  });
}

/**
 * Triage one report (with the version it was loaded at); every list and its counts refresh, since the report may
 * move between filters. On a 409 the lists refresh too, so the form shows the other admin's change.
 */
export function useUpdateBugReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: BugReportUpdate }) =>
      api.patch<BugReport>(`/api/v1/bug-reports/${id}`, body),
    onSettled: () => client.invalidateQueries({ queryKey: ['bug-reports'] }),
  });
}

export function useAddNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: string }) =>
      api.post<BugReportNote>(`/api/v1/bug-reports/${id}/notes`, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bug-reports'] }),
  });
}
