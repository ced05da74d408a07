import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EventDetail, EventOptions } from '../../../../contract/api/events.ts';
import type {
  FeedbackForm,
  FormCreate,
  FormPage,
  FormResponsePage,
  FormTemplateList,
  FormUpdate,
} from '../../../../contract/api/forms.ts';
import { api } from '../../../ui/api.ts';
import type { FormStatus } from './labels.ts';

const base = '/api/v1/forms';
export const formPath = (id: string) => `${base}/${encodeURIComponent(id)}`;

export function useForms(status: FormStatus | '') {
  return useInfiniteQuery({
    queryKey: ['forms', 'list', status],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.get<FormPage>(base, { status, limit: 25, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useForm(id: string) {
  return useQuery({ queryKey: ['forms', 'one', id], queryFn: () => api.get<FeedbackForm>(formPath(id)) });
}

/** The templates change only with a deployment. */
export function useTemplates() {
  return useQuery({
    queryKey: ['forms', 'templates'],
    queryFn: () => api.get<FormTemplateList>(`${base}/templates`),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useResponses(id: string) {
  return useInfiniteQuery({
    queryKey: ['forms', 'responses', id],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<FormResponsePage>(`${formPath(id)}/responses`, { limit: 25, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useEventOptions(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['events', 'options', q],
    queryFn: () => api.get<EventOptions>('/api/v1/events/options', { q, limit: 10 }),
    enabled,
  });
}

/** The sessions of the chosen event (the event's detail carries them). */
export function useEventSessions(eventId: string | null) {
  return useQuery({
    queryKey: ['events', 'one', eventId],
    queryFn: () => api.get<EventDetail>(`/api/v1/events/${encodeURIComponent(eventId ?? '')}`),
    enabled: eventId !== null,
    select: (event) => event.sessions,
  });
}

function useFormMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['forms'] });
    },
  });
}

export const useCreateForm = () => useFormMutation((body: FormCreate) => api.post<FeedbackForm>(base, body));

export const useUpdateForm = () =>
  useFormMutation(({ id, body }: { id: string; body: FormUpdate }) =>
    api.patch<FeedbackForm>(formPath(id), body),
  );

/** The deleted form's own query is dropped, not refetched: refetching it would only answer 404. */
export function useDeleteForm() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(formPath(id)),
    onSuccess: async (_answer, id) => {
      client.removeQueries({ queryKey: ['forms', 'one', id] });
      client.removeQueries({ queryKey: ['forms', 'responses', id] });
      await client.invalidateQueries({ queryKey: ['forms', 'list'] });
    },
  });
}
