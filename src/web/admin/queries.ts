import { MutationCache, QueryCache, QueryClient, useQuery } from '@tanstack/react-query';
import type { Me } from '../../contract/api/me.ts';
import { ApiError } from '../ui/api.ts';
import { loadMe } from '../ui/session.ts';
import { noteError } from './stepUp.ts';

/** Client errors (4xx) are answers, not glitches: retrying them only delays the message. */
function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: noteError }),
    mutationCache: new MutationCache({ onError: noteError }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
    },
  });
}

export function useMe() {
  return useQuery<Me>({ queryKey: ['me'], queryFn: () => loadMe(), staleTime: Number.POSITIVE_INFINITY });
}
