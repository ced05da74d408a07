import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type {
  ORG_SOURCE_FILTERS,
  OrgPeoplePage,
  OrgPersonDetail,
  ROLE_FILTERS,
} from '../../../../contract/api/directory.ts';
import type { PERSON_STATUSES } from '../../../../contract/api/me.ts';
import { api } from '../../../ui/api.ts';

/** People with their effective access (admins: everyone; managers: their scope). */
export interface PeopleFilters {
  q?: string;
  status?: (typeof PERSON_STATUSES)[number];
  role?: (typeof ROLE_FILTERS)[number];
  source?: (typeof ORG_SOURCE_FILTERS)[number];
  department?: string;
  hasException?: 'true' | 'false';
}

export const PEOPLE_PAGE = 50;

export function usePeople(filters: PeopleFilters) {
  return useInfiniteQuery({
    queryKey: ['people', 'list', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<OrgPeoplePage>('/api/v1/org/people', { ...filters, limit: PEOPLE_PAGE, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: (previous) => previous,
  });
}

export function usePerson(id: string | null) {
  return useQuery({
    queryKey: ['people', 'detail', id],
    queryFn: () => api.get<OrgPersonDetail>(`/api/v1/org/people/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
  });
}

/** The first few people whose name or e-mail starts with `q` (the pickers). */
export function usePeopleSearch(q: string, enabled: boolean) {
  const query = q.trim();
  return useQuery({
    queryKey: ['people', 'search', query],
    queryFn: () => api.get<OrgPeoplePage>('/api/v1/org/people', { q: query, limit: 8 }),
    enabled: enabled && query.length > 0,
    placeholderData: (previous) => previous,
  });
}
