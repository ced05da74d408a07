import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  EventCreate,
  EventDetail,
  EventPage,
  EventSession,
  EventUpdate,
  SessionCreate,
  SessionUpdate,
} from '../../../../contract/api/events.ts';
import { api } from '../../../ui/api.ts';
import type { ListFilter } from './listUrl.ts';

export const EVENTS_PAGE_SIZE = 25;

const enc = encodeURIComponent;
/** Everything events-related starts with ['events'] (the insights filter's picker list included). */
const EVENTS_KEY = ['events'] as const;
const detailKey = (id: string) => [...EVENTS_KEY, 'admin', 'one', id] as const;

/** The calendar for a filter, page by page ("Load more" follows nextCursor). */
export function useEventPages(filter: ListFilter) {
  const { view: _view, ...query } = filter;
  return useInfiniteQuery({
    queryKey: [...EVENTS_KEY, 'admin', 'list', query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<EventPage>('/api/v1/events', { ...query, limit: EVENTS_PAGE_SIZE, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (previous) => previous,
  });
}

export function useEvent(id: string) {
  return useQuery({
    queryKey: detailKey(id),
    queryFn: () => api.get<EventDetail>(`/api/v1/events/${enc(id)}`),
  });
}

/** After any change: every event list and detail refetches (the capture picker list too). */
function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: EVENTS_KEY });
}

export function useCreateEvent() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: EventCreate) => api.post<EventDetail>('/api/v1/events', body),
    onSuccess: () => void refresh(),
  });
}

export function useUpdateEvent(id: string) {
  const client = useQueryClient();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: EventUpdate) => api.patch<EventDetail>(`/api/v1/events/${enc(id)}`, body),
    onSuccess: (event) => {
      client.setQueryData(detailKey(id), event);
      void refresh();
    },
  });
}

export function useDeleteEvent(id: string) {
  const client = useQueryClient();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: () => api.delete<unknown>(`/api/v1/events/${enc(id)}`),
    onSuccess: () => {
      client.removeQueries({ queryKey: detailKey(id) });
      void refresh();
    },
  });
}

export type SessionChange =
  | { kind: 'create'; body: SessionCreate }
  | { kind: 'update'; sessionId: string; body: SessionUpdate }
  | { kind: 'delete'; sessionId: string };

/** Add, edit or delete one session; the event (counts, session list) refetches afterwards, also on a 409. */
export function useSessionChange(eventId: string) {
  const refresh = useRefresh();
  const base = `/api/v1/events/${enc(eventId)}/sessions`;
  return useMutation({
    mutationFn: (change: SessionChange) => {
      if (change.kind === 'create') return api.post<EventSession>(base, change.body);
      const path = `${base}/${enc(change.sessionId)}`;
      if (change.kind === 'update') return api.patch<EventSession>(path, change.body);
      return api.delete<unknown>(path);
    },
    onSettled: () => void refresh(),
  });
}

/** Re-read one event (after a 409: show what the other person saved). */
export function useReloadEvent(id: string) {
  const client = useQueryClient();
  return () =>
    client.fetchQuery({
      queryKey: detailKey(id),
      queryFn: () => api.get<EventDetail>(`/api/v1/events/${enc(id)}`),
      // Always ask the server: the cached copy is the one that just lost the race.
      staleTime: 0,
    });
}
