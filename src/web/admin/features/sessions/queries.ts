import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionSummary } from '../../../../contract/api/me.ts';
import { api } from '../../../ui/api.ts';

export interface SessionList {
  items: SessionSummary[];
}

const MINE = ['sessions', 'mine'] as const;
const ALL = ['sessions', 'all'] as const;

/** My live sessions: every device I am signed in on. */
export function useMySessions() {
  return useQuery({ queryKey: MINE, queryFn: () => api.get<SessionList>('/api/v1/sessions') });
}

/** Everyone's live sessions (admins). */
export function useAllSessions() {
  return useQuery({ queryKey: ALL, queryFn: () => api.get<SessionList>('/api/v1/admin/sessions') });
}

/** Ends a session: mine through /sessions/:id/end, anyone's (admin, step-up) through /admin/sessions/:id/end. */
export function useEndSession(as: 'self' | 'admin') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<{ ended: true }>(
        as === 'admin' ? `/api/v1/admin/sessions/${id}/end` : `/api/v1/sessions/${id}/end`,
        {},
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sessions'] }),
  });
}
