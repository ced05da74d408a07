import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ScimCredentialIssued,
  ScimCredentialList,
  ScimCredentialSummary,
} from '../../../../contract/api/scim.ts';
import { api } from '../../../ui/api.ts';

const path = '/api/v1/admin/scim/credentials';

export function useScimCredentials() {
  return useQuery({ queryKey: ['scim', 'credentials'], queryFn: () => api.get<ScimCredentialList>(path) });
}

function useScimMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => client.invalidateQueries({ queryKey: ['scim'] }) });
}

/** The answer holds the token itself: shown once, never cached or stored. */
export const useCreateScimCredential = () =>
  useScimMutation((name: string) => api.post<ScimCredentialIssued>(path, { name }));

export const useRevokeScimCredential = () =>
  useScimMutation((id: string) => api.post<ScimCredentialSummary>(`${path}/${id}/revoke`, {}));
