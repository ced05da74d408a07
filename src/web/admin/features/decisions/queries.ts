import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Decision,
  DecisionCreate,
  DecisionHistory,
  DecisionList,
  DecisionUpdate,
} from '../../../../contract/api/decisions.ts';
import { api } from '../../../ui/api.ts';
import type { DecisionFilter } from './listUrl.ts';

/** Everything of the register starts with ['decisions']: a write refetches lists, details and histories. */
const KEY = ['decisions'] as const;
const enc = encodeURIComponent;

export function useDecisions(filter: DecisionFilter) {
  return useQuery({
    queryKey: [...KEY, 'list', filter],
    queryFn: () => api.get<DecisionList>('/api/v1/decisions', { owner: filter.owner, status: filter.status }),
    placeholderData: (previous) => previous,
  });
}

/** The whole register (the depends-on choices of the forms). */
export const useAllDecisions = () => useDecisions({});

export function useDecision(id: string) {
  return useQuery({
    queryKey: [...KEY, 'one', id],
    queryFn: () => api.get<Decision>(`/api/v1/decisions/${enc(id)}`),
  });
}

export function useDecisionHistory(id: string) {
  return useQuery({
    queryKey: [...KEY, 'history', id],
    queryFn: () => api.get<DecisionHistory>(`/api/v1/decisions/${enc(id)}/history`),
  });
}

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: KEY });
}

export function useCreateDecision() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: DecisionCreate) => api.post<Decision>('/api/v1/decisions', body),
    onSuccess: () => void refresh(),
  });
}

export function useUpdateDecision(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: DecisionUpdate) => api.patch<Decision>(`/api/v1/decisions/${enc(id)}`, body),
    onSuccess: () => void refresh(),
  });
}

/** Fetch the newest version now (after a 409), bypassing what is cached. */
export function useReloadDecision(id: string) {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: KEY });
    return client.fetchQuery({
      queryKey: [...KEY, 'one', id],
      queryFn: () => api.get<Decision>(`/api/v1/decisions/${enc(id)}`),
    });
  };
}
