import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  RulePreview,
  RuleSetChange,
  RuleSetOverview,
  RuleSetProposed,
  RuleSetVersion,
} from '../../../../contract/api/access.ts';
import type { RuleSetSpec } from '../../../../contract/api/entitlements.ts';
import { api } from '../../../ui/api.ts';

export function useRules() {
  return useQuery({
    queryKey: ['rules'],
    queryFn: () => api.get<RuleSetOverview>('/api/v1/entitlements/rules'),
  });
}

/** Who would gain and lose what: changes nothing, so it is a mutation only in the HTTP sense. */
export function usePreviewRules() {
  return useMutation({
    mutationFn: (spec: RuleSetSpec) => api.post<RulePreview>('/api/v1/entitlements/rules/preview', { spec }),
  });
}

function useRulesMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['rules'] }),
        client.invalidateQueries({ queryKey: ['people'] }),
      ]);
    },
  });
}

export const useProposeRules = () =>
  useRulesMutation((change: RuleSetChange) =>
    api.post<RuleSetProposed>('/api/v1/entitlements/rules', change),
  );

export const useApproveRules = () =>
  useRulesMutation((version: number) =>
    api.post<RuleSetVersion>(`/api/v1/entitlements/rules/versions/${version}/approve`, {}),
  );

export const useRejectRules = () =>
  useRulesMutation(({ version, note }: { version: number; note: string }) =>
    api.post<RuleSetVersion>(`/api/v1/entitlements/rules/versions/${version}/reject`, { note }),
  );
