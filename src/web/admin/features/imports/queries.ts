import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { z } from 'zod';
import type {
  ImportAliasList,
  ImportHistory,
  ImportMapping,
  ImportPreview,
  ImportUpload,
} from '../../../../contract/api/imports.ts';
import { api } from '../../../ui/api.ts';

/** PMO event imports: upload, one import (polled while it applies), mapping, apply, history, learned aliases. */

export type RowsFilter = 'all' | 'issues' | 'changes';
export type ImportHistoryData = z.infer<typeof ImportHistory>;

/** Preview rows per page (the server allows up to LIMITS.importPreviewRows). */
export const ROWS_PAGE = 50;
/** How often a running apply is polled for progress. */
const POLL_MS = 1000;

const BASE = '/api/v1/event-imports';
const ALL = ['event-imports'] as const;
const oneKey = (id: string) => [...ALL, 'one', id] as const;
const HISTORY = [...ALL, 'history'] as const;
const ALIASES = ['import-aliases'] as const;

export function useEventImport(id: string | null, rows: RowsFilter, offset: number) {
  return useQuery({
    queryKey: [...oneKey(id ?? ''), rows, offset],
    queryFn: () =>
      api.get<ImportPreview>(`${BASE}/${id}`, { rows, rowsOffset: offset, rowsLimit: ROWS_PAGE }),
    enabled: id !== null,
    staleTime: 0,
    // Paging and filtering keep the table on screen until the next page arrives; another import does not.
    placeholderData: (previous) => (previous?.id === id ? previous : undefined),
    refetchInterval: (query) => (query.state.data?.status === 'applying' ? POLL_MS : false),
  });
}

export function useImportHistory() {
  return useQuery({
    queryKey: HISTORY,
    queryFn: () => api.get<ImportHistoryData>(BASE, { limit: 10 }),
    placeholderData: keepPreviousData,
  });
}

export function useImportAliases() {
  return useQuery({
    queryKey: ALIASES,
    queryFn: () => api.get<ImportAliasList>('/api/v1/import-aliases'),
  });
}

/** The server's answer for this import is the truth: every cached page of it is refetched. */
function useImportMutation<Input>(mutationFn: (input: Input) => Promise<ImportPreview>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async (result) => {
      await Promise.all([
        client.invalidateQueries({ queryKey: oneKey(result.id) }),
        client.invalidateQueries({ queryKey: HISTORY }),
      ]);
    },
  });
}

export const useUploadImport = () =>
  useImportMutation((upload: ImportUpload) => api.post<ImportPreview>(BASE, upload));

export const useUpdateMapping = () =>
  useImportMutation(({ id, mapping }: { id: string; mapping: ImportMapping }) =>
    api.put<ImportPreview>(`${BASE}/${id}/mapping`, { mapping }),
  );

export const useApplyImport = () =>
  useImportMutation(({ id, learnAliases }: { id: string; learnAliases: boolean }) =>
    api.post<ImportPreview>(`${BASE}/${id}/apply`, { learnAliases }),
  );

/** After an apply finishes: the history's status and the aliases it may have learned are out of date. */
export function useRefreshAfterApply() {
  const client = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        client.invalidateQueries({ queryKey: HISTORY }),
        client.invalidateQueries({ queryKey: ALIASES }),
      ]),
    [client],
  );
}

export function useForgetAlias() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/v1/import-aliases/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ALIASES }),
  });
}
