import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BreakGlassApproval,
  BreakGlassStatus,
  BreakGlassUse,
  BreakGlassUseList,
} from '../../../../contract/api/break-glass.ts';
import { api } from '../../../ui/api.ts';

export type ReviewFilter = 'open' | 'closed' | 'all';

export function useBreakGlassStatus() {
  return useQuery({
    queryKey: ['break-glass', 'status'],
    queryFn: () => api.get<BreakGlassStatus>('/api/v1/admin/break-glass'),
    refetchInterval: 30_000,
  });
}

export function useBreakGlassUses(review: ReviewFilter) {
  return useQuery({
    queryKey: ['break-glass', 'uses', review],
    queryFn: () =>
      api.get<BreakGlassUseList>('/api/v1/admin/break-glass/uses', {
        review: review === 'all' ? undefined : review,
      }),
  });
}

export function useDecideApproval() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'approve' | 'deny' }) =>
      api.post<BreakGlassApproval>(`/api/v1/admin/break-glass/approvals/${id}/${decision}`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['break-glass'] }),
  });
}

export function useCloseReview() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, notes }: { id: string; notes: string }) =>
      api.post<BreakGlassUse>(`/api/v1/admin/break-glass/uses/${id}/close-review`, { notes }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['break-glass'] }),
  });
}
