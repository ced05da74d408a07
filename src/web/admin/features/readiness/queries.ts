import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Attestation,
  AttestationInput,
  AttestationList,
  ReadinessRecord,
  ReadinessRecordList,
  ReadinessReport,
  ReadinessSnapshot,
  ReadinessSnapshotList,
  RecordInput,
} from '../../../../contract/api/readiness.ts';
import { api, queryString } from '../../../ui/api.ts';

const BASE = '/api/v1/readiness';
export const SNAPSHOT_PAGE_SIZE = 20;

/** The live report: evaluated on every read (gates read the database, config and runtime signals). */
export function useReadinessReport() {
  return useQuery({
    queryKey: ['readiness', 'report'],
    queryFn: () => api.get<ReadinessReport>(BASE),
    staleTime: 10_000,
  });
}

/** The current attestation of every manual gate that has one (the form prefills from it and sends its version). */
export function useAttestations() {
  return useQuery({
    queryKey: ['readiness', 'attestations'],
    queryFn: () => api.get<AttestationList>(`${BASE}/attestations`),
  });
}

/** Deployment verifications and rollback drills, newest first. */
export function useRecords() {
  return useQuery({
    queryKey: ['readiness', 'records'],
    queryFn: () => api.get<ReadinessRecordList>(`${BASE}/records`),
  });
}

/** Snapshots (summaries), newest first; "Load more" follows nextCursor. */
export function useSnapshots() {
  return useInfiniteQuery({
    queryKey: ['readiness', 'snapshots'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<ReadinessSnapshotList>(`${BASE}/snapshots`, { limit: SNAPSHOT_PAGE_SIZE, cursor: pageParam }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One snapshot with its frozen report (never changes: cached for good). */
export function useSnapshot(id: string | null) {
  return useQuery({
    queryKey: ['readiness', 'snapshot', id],
    queryFn: () => api.get<ReadinessSnapshot>(`${BASE}/snapshots/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * Every write can move a gate: the report, attestations, records and history all refresh — after a refusal too
 * (a 409 means someone else changed it: the page shows theirs).
 */
function useReadinessMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: async () => {
      await client.invalidateQueries({
        queryKey: ['readiness'],
        predicate: (query) => query.queryKey[1] !== 'snapshot',
      });
    },
  });
}

export const useAttest = () =>
  useReadinessMutation(({ gateId, body }: { gateId: string; body: AttestationInput }) =>
    api.put<Attestation>(`${BASE}/gates/${encodeURIComponent(gateId)}/attestation`, body),
  );

/** Withdraw with the version read (a stale one is a 409, like a renewal). */
export const useWithdraw = () =>
  useReadinessMutation(({ gateId, version }: { gateId: string; version: number }) =>
    api.delete<undefined>(
      `${BASE}/gates/${encodeURIComponent(gateId)}/attestation${queryString({ version })}`,
    ),
  );

export const useRecordOperation = () =>
  useReadinessMutation((body: RecordInput) => api.post<ReadinessRecord>(`${BASE}/records`, body));

export const useTakeSnapshot = () =>
  useReadinessMutation(() => api.post<ReadinessSnapshot>(`${BASE}/snapshots`, {}));
