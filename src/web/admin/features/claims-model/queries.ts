import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ClaimsModelChange, ClaimsModelVersion } from '../../../../contract/api/claims-model.ts';
import { api } from '../../../ui/api.ts';

export interface VersionList {
  items: ClaimsModelVersion[];
}

export function useClaimsModelVersions() {
  return useQuery({
    queryKey: ['claims-model'],
    queryFn: () => api.get<VersionList>('/api/v1/claims-model', { limit: 50 }),
  });
}

/** A change becomes the new active version at once; a second admin approves it afterwards. */
export function useChangeClaimsModel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: ClaimsModelChange) => api.put<ClaimsModelVersion>('/api/v1/claims-model', change),
    onSuccess: () => client.invalidateQueries({ queryKey: ['claims-model'] }),
  });
}

export function useApproveClaimsModel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      api.post<ClaimsModelVersion>(`/api/v1/claims-model/versions/${version}/approve`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['claims-model'] }),
  });
}
