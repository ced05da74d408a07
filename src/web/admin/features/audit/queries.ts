import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AuditCatalog, AuditEventPage, AuditPersonHistory } from '../../../../contract/api/audit.ts';
import { api } from '../../../ui/api.ts';
import { type AuditFilter, apiQuery } from './auditUrl.ts';

export const AUDIT_PAGE_SIZE = 50;

/** Audit events for a filter, newest first; "Load more" follows nextCursor. */
export function useAuditEvents(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', 'events', filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<AuditEventPage>('/api/v1/audit/events', {
        ...apiQuery(filter),
        limit: AUDIT_PAGE_SIZE,
        cursor: pageParam,
      }),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (previous) => previous,
  });
}

/** The catalog (families, actions, target types) for the filters and descriptions; it changes with releases. */
export function useAuditCatalog() {
  return useQuery({
    queryKey: ['audit', 'catalog'],
    queryFn: () => api.get<AuditCatalog>('/api/v1/audit/catalog'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** A person's access history (summary with every page), newest first. */
export function usePersonHistory(id: string, kind: 'access' | 'all') {
  return useInfiniteQuery({
    queryKey: ['audit', 'person', id, kind],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<AuditPersonHistory>(`/api/v1/audit/people/${encodeURIComponent(id)}`, {
        kind,
        limit: AUDIT_PAGE_SIZE,
        cursor: pageParam,
      }),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (previous) => previous,
  });
}
