import { useQuery } from '@tanstack/react-query';
import type { OrgStatus } from '../../../../contract/api/directory.ts';
import { api } from '../../../ui/api.ts';

/**
 * GET /api/v1/org/status (admins): the stale-source banner on every page and the Org page share it. Type
 * imports only: the banner sits in the app's entry bundle.
 */
export const ORG_STATUS_KEY = ['org', 'status'] as const;

export function useOrgStatus(enabled = true) {
  return useQuery({
    queryKey: ORG_STATUS_KEY,
    queryFn: () => api.get<OrgStatus>('/api/v1/org/status'),
    enabled,
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });
}

export const SOURCE_LABEL: Record<OrgStatus['sources'][number]['source'], string> = {
  scim: 'SCIM provisioning',
  hr: 'HR feed',
};

/** "45 minutes", "6 hours", "3 days": a staleness limit in words. */
export function minutesText(minutes: number): string {
  if (minutes < 120) return `${Math.round(minutes)} minutes`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} hours`;
  return `${Math.round(minutes / 1440)} days`;
}
