import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AccessReviewCampaign,
  AccessReviewCampaignPage,
  AccessReviewClose,
  AccessReviewCreate,
  AccessReviewDecision,
  AccessReviewItem,
  AccessReviewItemPage,
  RemovalRequest,
  RemovalRequestPage,
} from '../../../../contract/api/access-reviews.ts';
import { api } from '../../../ui/api.ts';

const base = '/api/v1/access-reviews';

/** My undecided items across open campaigns, the campaign due soonest first. */
export function useInbox() {
  return useInfiniteQuery({
    queryKey: ['reviews', 'inbox'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<AccessReviewItemPage>(`${base}/inbox`, { limit: 25, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useCampaigns(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['reviews', 'campaigns'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.get<AccessReviewCampaignPage>(base, { limit: 20, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: ['reviews', 'campaign', id],
    queryFn: () => api.get<AccessReviewCampaign>(`${base}/${encodeURIComponent(id)}`),
  });
}

export interface ItemFilters {
  state: 'open' | 'decided' | 'all';
  reviewerId?: string;
}

export function useCampaignItems(id: string, filters: ItemFilters) {
  return useInfiniteQuery({
    queryKey: ['reviews', 'items', id, filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<AccessReviewItemPage>(`${base}/${encodeURIComponent(id)}/items`, {
        ...filters,
        limit: 50,
        cursor: pageParam,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useRemovalRequests(status: 'open' | 'done' | 'all', enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['reviews', 'removals', status],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<RemovalRequestPage>(`${base}/removal-requests`, { status, limit: 25, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

/** Review decisions change access (exceptions revoked) and progress: refresh reviews, exceptions and people. */
function useReviewMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await Promise.all(
        ['reviews', 'exceptions', 'people'].map((key) => client.invalidateQueries({ queryKey: [key] })),
      );
    },
  });
}

export const useDecide = () =>
  useReviewMutation(({ id, decision }: { id: string; decision: AccessReviewDecision }) =>
    api.post<AccessReviewItem>(`${base}/items/${id}/decision`, decision),
  );

export const useCreateCampaign = () =>
  useReviewMutation((body: AccessReviewCreate) => api.post<AccessReviewCampaign>(base, body));

export const useCloseCampaign = () =>
  useReviewMutation(({ id, body }: { id: string; body: AccessReviewClose }) =>
    api.post<AccessReviewCampaign>(`${base}/${id}/close`, body),
  );

export const useResolveRemoval = () =>
  useReviewMutation(({ id, note }: { id: string; note: string }) =>
    api.post<RemovalRequest>(`${base}/removal-requests/${id}/resolve`, note === '' ? {} : { note }),
  );
