import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  HierarchyIssues,
  OrgConflict,
  OrgImport,
  OrgImportCreate,
  OrgImportSummary,
  OrgSourceStatus,
  OrgSourceUpdate,
} from '../../../../contract/api/directory.ts';
import { api } from '../../../ui/api.ts';

/** The org sources, hierarchy, conflicts and HR feed imports (admins). */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function useHierarchyIssues() {
  return useQuery({
    queryKey: ['org', 'hierarchy'],
    queryFn: () => api.get<HierarchyIssues>('/api/v1/org/hierarchy/issues'),
  });
}

export function useConflicts() {
  return useInfiniteQuery({
    queryKey: ['org', 'conflicts'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<Page<OrgConflict>>('/api/v1/org/conflicts', { limit: 25, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useImports() {
  return useInfiniteQuery({
    queryKey: ['org', 'imports'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<Page<OrgImportSummary>>('/api/v1/org/imports', { limit: 10, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useImport(id: string | null) {
  return useQuery({
    queryKey: ['org', 'import', id],
    queryFn: () => api.get<OrgImport>(`/api/v1/org/imports/${id}`),
    enabled: id !== null,
  });
}

/** Anything that changes the org refreshes every org view (status, people, issues, conflicts, imports). */
function useOrgMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['org'] }),
        client.invalidateQueries({ queryKey: ['people'] }),
      ]);
    },
  });
}

export const useConfigureSource = () =>
  useOrgMutation(({ source, update }: { source: string; update: OrgSourceUpdate }) =>
    api.put<OrgSourceStatus>(`/api/v1/org/sources/${source}`, update),
  );

export const usePreviewImport = () =>
  useOrgMutation((file: OrgImportCreate) => api.post<OrgImport>('/api/v1/org/imports', file));

export const useApplyImport = () =>
  useOrgMutation(({ id, confirmLeavers }: { id: string; confirmLeavers?: number }) =>
    api.post<OrgImport>(
      `/api/v1/org/imports/${id}/apply`,
      confirmLeavers === undefined ? {} : { confirmLeavers },
    ),
  );

export const useDiscardImport = () =>
  useOrgMutation((id: string) => api.post<OrgImport>(`/api/v1/org/imports/${id}/discard`, {}));
