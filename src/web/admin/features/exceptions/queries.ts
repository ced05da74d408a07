import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  AccessException,
  AccessExceptionPage,
  ExceptionCreate,
  ExceptionStatus,
} from '../../../../contract/api/access.ts';
import { api } from '../../../ui/api.ts';

export interface ExceptionFilters {
  status?: ExceptionStatus;
  subjectId?: string;
}

/** Exceptions you may see (admins all, managers their scope, you yours), newest first, "Load more". */
export function useExceptions(filters: ExceptionFilters) {
  return useInfiniteQuery({
    queryKey: ['exceptions', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<AccessExceptionPage>('/api/v1/access/exceptions', { ...filters, limit: 25, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Exceptions change people's access: the people views refresh too. */
function useExceptionMutation<Input>(mutationFn: (input: Input) => Promise<AccessException>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['exceptions'] }),
        client.invalidateQueries({ queryKey: ['people'] }),
      ]);
    },
  });
}

export const useRequestException = () =>
  useExceptionMutation((body: ExceptionCreate) =>
    api.post<AccessException>('/api/v1/access/exceptions', body),
  );

export type ExceptionAction = 'approve' | 'reject' | 'revoke';

export const useExceptionAction = () =>
  useExceptionMutation(({ id, action, text }: { id: string; action: ExceptionAction; text: string }) =>
    api.post<AccessException>(
      `/api/v1/access/exceptions/${id}/${action}`,
      action === 'revoke'
        ? { reason: text }
        : action === 'reject'
          ? { note: text }
          : text === ''
            ? {}
            : { note: text },
    ),
  );
