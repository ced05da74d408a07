import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DigestPreview,
  DigestRun,
  DigestRunList,
  DigestSettings,
} from '../../../../contract/api/digest.ts';
import { api } from '../../../ui/api.ts';

export const useDigestSettings = () =>
  useQuery({
    queryKey: ['digest', 'settings'],
    queryFn: () => api.get<DigestSettings>('/api/v1/digest/settings'),
  });

export const useDigestPreview = () =>
  useQuery({
    queryKey: ['digest', 'preview'],
    queryFn: () => api.get<DigestPreview>('/api/v1/digest/preview'),
  });

export const useDigestRuns = () =>
  useQuery({
    queryKey: ['digest', 'runs'],
    queryFn: () => api.get<DigestRunList>('/api/v1/digest/runs', { limit: 20 }),
  });

/** Send now; the runs table refreshes whatever Slack answered (a refusal is a recorded run too). */
export function useSendDigest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<DigestRun>('/api/v1/digest/send', {}),
    onSettled: () => client.invalidateQueries({ queryKey: ['digest', 'runs'] }),
  });
}
