import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DuplicateCandidate,
  DuplicatePairs,
  MergedDuplicate,
  MergeResult,
  SavedView,
  SavedViewUpdate,
  UnmergeResult,
} from '../../../../contract/api/review.ts';
import { api } from '../../../ui/api.ts';
import type { UrlFilter } from './filterUrl.ts';
import { INSIGHTS_KEY, useRefreshInsights } from './queries.ts';

const enc = encodeURIComponent;
const VIEWS_KEY = ['saved-views'] as const;

interface SavedViewPage {
  items: SavedView[];
  nextCursor?: string | null;
}

/** My saved views and the ones others shared (mine first, by name); all pages, a person has at most 50. */
export function useSavedViews() {
  return useQuery({
    queryKey: VIEWS_KEY,
    queryFn: async () => {
      const items: SavedView[] = [];
      let cursor: string | null = null;
      do {
        const page: SavedViewPage = await api.get<SavedViewPage>('/api/v1/saved-views', { cursor });
        items.push(...page.items);
        cursor = page.nextCursor ?? null;
      } while (cursor !== null && items.length < 500);
      return items;
    },
  });
}

export function useCreateSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { id: string; name: string; filters: UrlFilter; shared: boolean }) =>
      api.post<SavedView>('/api/v1/saved-views', body),
    onSuccess: () => client.invalidateQueries({ queryKey: VIEWS_KEY }),
  });
}

export function useUpdateSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SavedViewUpdate }) =>
      api.patch<SavedView>(`/api/v1/saved-views/${enc(id)}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: VIEWS_KEY }),
  });
}

export function useDeleteSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/v1/saved-views/${enc(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: VIEWS_KEY }),
  });
}

/** Insights that look like this one (for managers and admins to merge). */
export function useDuplicatesOf(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...INSIGHTS_KEY, 'duplicates', id],
    queryFn: () => api.get<{ candidates: DuplicateCandidate[] }>(`/api/v1/insights/${enc(id)}/duplicates`),
    enabled,
  });
}

/** Duplicates currently merged into this insight. */
export function useMerges(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...INSIGHTS_KEY, 'merges', id],
    queryFn: () => api.get<{ merged: MergedDuplicate[] }>(`/api/v1/insights/${enc(id)}/merges`),
    enabled,
  });
}

/** Merge duplicates into a primary (managers and admins); reversible with unmerge. */
export function useMerge() {
  const refresh = useRefreshInsights();
  return useMutation({
    mutationFn: ({ primaryId, duplicateIds }: { primaryId: string; duplicateIds: string[] }) =>
      api.post<MergeResult>(`/api/v1/insights/${enc(primaryId)}/merge`, { duplicateIds }),
    onSuccess: () => void refresh(),
  });
}

/** Restore a merged duplicate as an insight of its own (id: the duplicate). */
export function useUnmerge() {
  const refresh = useRefreshInsights();
  return useMutation({
    mutationFn: (duplicateId: string) =>
      api.post<UnmergeResult>(`/api/v1/insights/${enc(duplicateId)}/unmerge`, {}),
    onSuccess: () => void refresh(),
  });
}

/** "Not a duplicate": the pair is never proposed again. */
export function useDismissPair() {
  const refresh = useRefreshInsights();
  return useMutation({
    mutationFn: (pair: { a: string; b: string }) => api.post<unknown>('/api/v1/duplicates/dismiss', pair),
    onSuccess: () => void refresh(),
  });
}

export const PAIR_PAGE_SIZE = 20;

/** Proposed duplicate pairs in a period (the server's default: the last 30 days), most similar first. */
export function useDuplicatePairs(range: { from?: string; to?: string }) {
  return useInfiniteQuery({
    queryKey: ['duplicate-pairs', range.from ?? null, range.to ?? null],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<DuplicatePairs>('/api/v1/duplicates', {
        from: range.from,
        to: range.to,
        limit: PAIR_PAGE_SIZE,
        cursor: pageParam,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
}
