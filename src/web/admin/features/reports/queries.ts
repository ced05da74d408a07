import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { EventList } from '../../../../contract/api/events.ts';
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

/** Events for the event filter (all of them, with their sessions; a few dozen a year). */
export function useEvents() {
  return useQuery({
    queryKey: ['events', 'all'],
    queryFn: () => api.get<EventList>('/api/v1/events'),
    staleTime: 5 * 60_000,
  });
}
