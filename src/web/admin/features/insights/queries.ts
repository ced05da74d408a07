import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EventDetail, EventOptions } from '../../../../contract/api/events.ts';
import type {
  FollowUpUpdate,
  Insight,
  InsightBulkResult,
  InsightBulkUpdate,
  InsightPage,
  InsightUpdate,
} from '../../../../contract/api/insights.ts';
import type {
  InsightActivity,
  InsightReactions,
  Note,
  NoteCreate,
  ReactionKind,
} from '../../../../contract/api/social.ts';
import type { InsightSort } from '../../../../contract/reporting.ts';
import { api } from '../../../ui/api.ts';
import type { UrlFilter } from './filterUrl.ts';

export const LIST_PAGE_SIZE = 25;

const enc = encodeURIComponent;

/** Everything about insights this feature caches starts with this key (the dashboard list shares it). */
export const INSIGHTS_KEY = ['insights'] as const;

/** The insight list for a filter and sort, page by page ("Load more" follows nextCursor). */
export function useInsightList(filter: UrlFilter, sort: InsightSort | undefined) {
  return useInfiniteQuery({
    queryKey: [...INSIGHTS_KEY, 'list', filter, sort ?? null],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<InsightPage>('/api/v1/insights', {
        ...filter,
        sort,
        limit: LIST_PAGE_SIZE,
        cursor: pageParam,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useInsight(id: string) {
  return useQuery({
    queryKey: [...INSIGHTS_KEY, 'one', id],
    queryFn: () => api.get<Insight>(`/api/v1/insights/${enc(id)}`),
  });
}

/** After any change to insights: lists, details, duplicates and the dashboard refresh. */
export function useRefreshInsights() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: INSIGHTS_KEY }),
      client.invalidateQueries({ queryKey: ['duplicate-pairs'] }),
      client.invalidateQueries({ queryKey: ['reporting'] }),
    ]);
}

export function useUpdateInsight(id: string) {
  const client = useQueryClient();
  const refresh = useRefreshInsights();
  return useMutation({
    mutationFn: (body: InsightUpdate) => api.patch<Insight>(`/api/v1/insights/${enc(id)}`, body),
    onSuccess: (insight) => {
      client.setQueryData([...INSIGHTS_KEY, 'one', id], insight);
      void refresh();
    },
  });
}

export function useFollowUp(id: string) {
  const client = useQueryClient();
  const refresh = useRefreshInsights();
  return useMutation({
    mutationFn: (body: FollowUpUpdate) => api.put<Insight>(`/api/v1/insights/${enc(id)}/follow-up`, body),
    onSuccess: (insight) => {
      client.setQueryData([...INSIGHTS_KEY, 'one', id], insight);
      void refresh();
    },
    // 409: someone saved a newer version; show it, so the next save starts from it.
    onError: () => client.invalidateQueries({ queryKey: [...INSIGHTS_KEY, 'one', id] }),
  });
}

export function useBulkUpdate() {
  const refresh = useRefreshInsights();
  return useMutation({
    mutationFn: (body: InsightBulkUpdate) => api.post<InsightBulkResult>('/api/v1/insights/bulk', body),
    onSuccess: () => void refresh(),
  });
}

export function useActivity(id: string) {
  return useQuery({
    queryKey: [...INSIGHTS_KEY, 'activity', id],
    queryFn: () => api.get<InsightActivity>(`/api/v1/insights/${enc(id)}/activity`),
  });
}

/** Add or take back my reaction; the answer is the insight's reactions as they now stand. */
export function useReaction(id: string) {
  const client = useQueryClient();
  const key = [...INSIGHTS_KEY, 'activity', id];
  return useMutation({
    mutationFn: ({ reaction, present }: { reaction: ReactionKind; present: boolean }) => {
      const path = `/api/v1/insights/${enc(id)}/reactions/${enc(reaction)}`;
      return present ? api.put<InsightReactions>(path, {}) : api.delete<InsightReactions>(path);
    },
    onSuccess: (answer) => {
      client.setQueryData<InsightActivity>(key, (old) =>
        old === undefined ? old : { ...old, reactions: answer.reactions },
      );
    },
  });
}

export function useAddNote(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NoteCreate) => api.post<Note>(`/api/v1/insights/${enc(id)}/notes`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: [...INSIGHTS_KEY, 'activity', id] }),
  });
}

export interface MentionablePerson {
  id: string;
  name: string;
  team: string | null;
}

/** Active people whose name matches (for @mentions and the follow-up owner); nothing asked for blank text. */
export function useMentionable(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: ['mentionable', text],
    queryFn: () =>
      api.get<{ items: MentionablePerson[] }>('/api/v1/people/mentionable', { q: text, limit: 8 }),
    enabled: text !== '',
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
}

/** Event names for the event filter and the edit form: the newest 100 (a chosen older one keeps its id). */
export function useEvents() {
  return useQuery({
    queryKey: ['events', 'options'],
    queryFn: () => api.get<EventOptions>('/api/v1/events/options', { limit: 100 }),
    staleTime: 5 * 60_000,
  });
}

/** The sessions of the chosen event (the session filter), read from the event itself when one is chosen. */
export function useEventSessions(eventId: string | undefined) {
  return useQuery({
    queryKey: ['events', eventId, 'sessions'],
    queryFn: async () => (await api.get<EventDetail>(`/api/v1/events/${eventId}`)).sessions,
    enabled: eventId !== undefined,
    staleTime: 5 * 60_000,
  });
}

export type { UrlFilter };
