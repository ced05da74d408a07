import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { EventOptions } from '../../../../contract/api/events.ts';
import type {
  Dashboard,
  ExecutiveReport,
  ExecutiveSummary,
  Leaderboard,
  Themes,
} from '../../../../contract/api/reporting.ts';
import { api } from '../../../ui/api.ts';
import { type ReportState, reportParams } from './reportQuery.ts';

/**
 * The reporting endpoints. Each view's key is its API parameters, so the same URL state hits the cache
 * across pages; while a new period or filter loads, the previous answer stays on screen (dimmed).
 */

export function useDashboard(state: ReportState) {
  const params = reportParams(state);
  return useQuery({
    queryKey: ['reporting', 'dashboard', params],
    queryFn: () => api.get<Dashboard>('/api/v1/dashboard', params),
    placeholderData: keepPreviousData,
  });
}

export function useLeaderboard(state: ReportState, limit: number) {
  const params = { ...reportParams(state), limit };
  return useQuery({
    queryKey: ['reporting', 'leaderboard', params],
    queryFn: () => api.get<Leaderboard>('/api/v1/leaderboard', params),
    placeholderData: keepPreviousData,
  });
}

export function useThemes(state: ReportState) {
  const params = reportParams(state);
  return useQuery({
    queryKey: ['reporting', 'themes', params],
    queryFn: () => api.get<Themes>('/api/v1/themes', params),
    placeholderData: keepPreviousData,
  });
}

export function useExecutiveReport(state: ReportState) {
  const params = reportParams(state);
  return useQuery({
    queryKey: ['reporting', 'executive', params],
    queryFn: () => api.get<ExecutiveReport>('/api/v1/reports/executive', params),
    placeholderData: keepPreviousData,
  });
}

/** The optional LLM summary of the report with these parameters (503 when no provider is configured). */
export function useExecutiveSummary() {
  return useMutation({
    mutationFn: (state: ReportState) =>
      api.post<ExecutiveSummary>('/api/v1/reports/executive/summary', reportParams(state)),
  });
}

/** Event names for the event filter: the newest 100 (a chosen older one is still shown by its chip). */
export function useEvents() {
  return useQuery({
    queryKey: ['events', 'options'],
    queryFn: () => api.get<EventOptions>('/api/v1/events/options', { limit: 100 }),
    staleTime: 5 * 60_000,
  });
}
