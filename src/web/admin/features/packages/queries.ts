import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Audience,
  PackageList,
  PackageSummary,
  PackageVerification,
} from '../../../../contract/api/packages.ts';
import { api } from '../../../ui/api.ts';

/** Generated packages, newest first, paged with "Load more". */
export function usePackages() {
  return useInfiniteQuery({
    queryKey: ['packages'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.get<PackageList>('/api/v1/packages', { limit: 25, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Generate one audience's package (privileged: a stale MFA sign-in gets the step-up banner). */
export function useGeneratePackage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (audience: Audience) => api.post<PackageSummary>('/api/v1/packages', { audience }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['packages'] }),
  });
}

/** Check a package against its stored hashes and the audit log; only when asked (enabled: false). */
export function useVerification(id: string) {
  return useQuery({
    queryKey: ['packages', id, 'verify'],
    queryFn: () => api.get<PackageVerification>(`/api/v1/packages/${id}/verify`),
    enabled: false,
    retry: false,
  });
}

export const downloadHref = (id: string, format: string) =>
  `/api/v1/packages/${encodeURIComponent(id)}/download?format=${format}`;
