import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Comment,
  CommentList,
  CommentTargetType,
  MentionFeed,
  Phase,
  PhaseUpdate,
  Risk,
  RiskCreate,
  RiskList,
  RiskUpdate,
  Workspace,
  Workstream,
  WorkstreamCreate,
  WorkstreamUpdate,
} from '../../../../contract/api/workspace.ts';
import { api } from '../../../ui/api.ts';

const base = '/api/v1/workspace';

export const useWorkspace = () =>
  useQuery({ queryKey: ['workspace'], queryFn: () => api.get<Workspace>(base) });

export const useRisks = (filter: { level: string; status: string }) =>
  useQuery({
    queryKey: ['workspace', 'risks', filter],
    queryFn: () => api.get<RiskList>(`${base}/risks`, filter),
  });

export const useMentions = () =>
  useQuery({ queryKey: ['workspace', 'mentions'], queryFn: () => api.get<MentionFeed>(`${base}/mentions`) });

export const useComments = (targetType: CommentTargetType, targetId: string) =>
  useQuery({
    queryKey: ['workspace', 'comments', targetType, targetId],
    queryFn: () => api.get<CommentList>(`${base}/comments`, { targetType, targetId }),
  });

/** Every write refreshes the workspace (phase states, risk lists, blockers all move together). */
function useWrite<I, O>(write: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => client.invalidateQueries({ queryKey: ['workspace'] }),
  });
}

export const useUpdatePhase = (id: string) =>
  useWrite((input: PhaseUpdate) => api.patch<Phase>(`${base}/phases/${encodeURIComponent(id)}`, input));
export const useCreateWorkstream = () =>
  useWrite((input: WorkstreamCreate) => api.post<Workstream>(`${base}/workstreams`, input));
export const useUpdateWorkstream = (id: string) =>
  useWrite((input: WorkstreamUpdate) => api.patch<Workstream>(`${base}/workstreams/${id}`, input));
export const useCreateRisk = () => useWrite((input: RiskCreate) => api.post<Risk>(`${base}/risks`, input));
export const useUpdateRisk = (id: string) =>
  useWrite((input: RiskUpdate) => api.patch<Risk>(`${base}/risks/${id}`, input));
export const usePostComment = (targetType: CommentTargetType, targetId: string) =>
  useWrite((body: string) =>
    api.post<Comment>(`${base}/comments?${new URLSearchParams({ targetType, targetId }).toString()}`, {
      body,
    }),
  );
