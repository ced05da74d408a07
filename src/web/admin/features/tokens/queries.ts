import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApiTokenIssued,
  ApiTokenPage,
  ApiTokenSummary,
  TOKEN_KINDS,
  TOKEN_STATUSES,
  TokenCreate,
  TokenRequestCreate,
} from '../../../../contract/api/tokens.ts';
import { api } from '../../../ui/api.ts';

export type TokenStatus = (typeof TOKEN_STATUSES)[number];
export type TokenKind = (typeof TOKEN_KINDS)[number];
export interface AdminTokenFilters {
  status?: TokenStatus;
  kind?: TokenKind;
}

const PAGE = 100;

/** My tokens and service token requests (first 100, newest first: more than the per-person allowance). */
export function useMyTokens() {
  return useQuery({
    queryKey: ['tokens', 'mine'],
    queryFn: () => api.get<ApiTokenPage>('/api/v1/tokens', { limit: PAGE }),
  });
}

/** Everyone's tokens and requests (admins), filtered on the server, paged with "Load more". */
export function useAdminTokens(filters: AdminTokenFilters) {
  return useInfiniteQuery({
    queryKey: ['tokens', 'all', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<ApiTokenPage>('/api/v1/admin/tokens', { ...filters, limit: 50, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

function useTokenMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => client.invalidateQueries({ queryKey: ['tokens'] }) });
}

export const useCreateToken = () =>
  useTokenMutation((body: TokenCreate) => api.post<ApiTokenIssued>('/api/v1/tokens', body));

export const useRequestServiceToken = () =>
  useTokenMutation((body: TokenRequestCreate) => api.post<ApiTokenSummary>('/api/v1/token-requests', body));

export const useIssueToken = () =>
  useTokenMutation((id: string) => api.post<ApiTokenIssued>(`/api/v1/tokens/${id}/issue`, {}));

/** Revoke my own token or withdraw my request (reason optional). */
export const useRevokeMine = () =>
  useTokenMutation(({ id, reason }: { id: string; reason: string }) =>
    api.post<ApiTokenSummary>(`/api/v1/tokens/${id}/revoke`, reason === '' ? {} : { reason }),
  );

/** Admin: revoke anyone's token (reason required), approve or reject a service token request (note required). */
export const useAdminTokenAction = () =>
  useTokenMutation(
    ({ id, action, text }: { id: string; action: 'approve' | 'reject' | 'revoke'; text: string }) =>
      api.post<ApiTokenSummary>(
        `/api/v1/admin/tokens/${id}/${action}`,
        action === 'revoke' ? { reason: text } : { note: text },
      ),
  );

/** "active" tokens past their expiry are expired, whatever the stored status says. */
export function displayStatus(token: ApiTokenSummary, now = Date.now()): string {
  if (token.status === 'active' && token.expiresAt !== null && Date.parse(token.expiresAt) <= now)
    return 'expired';
  return token.status;
}
