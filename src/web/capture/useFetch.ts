import { useEffect, useState } from 'react';
import { errorMessage } from '../ui/api.ts';
import { captureApi } from './connection.ts';

export interface Fetched<T> {
  value: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * A GET for a detail view, not kept on the device (reactions, notes and attachment lists are only useful
 * fresh). `path` null: nothing to fetch. `again` changes → fetched again.
 */
export function useFetch<T>(path: string | null, again: unknown = null): Fetched<T> {
  const [state, setState] = useState<Fetched<T>>({ value: null, error: null, loading: path !== null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `again` is the caller's "fetch again" signal
  useEffect(() => {
    if (path === null) {
      setState({ value: null, error: null, loading: false });
      return;
    }
    let active = true;
    setState((current) => ({ ...current, loading: true }));
    captureApi.get<T>(path).then(
      (value) => active && setState({ value, error: null, loading: false }),
      (error: unknown) =>
        active && setState((current) => ({ ...current, error: errorMessage(error), loading: false })),
    );
    return () => {
      active = false;
    };
  }, [path, again]);
  return state;
}
