import { liveQuery } from 'dexie';
import { useEffect, useRef, useState } from 'react';

/**
 * The value of an IndexedDB query, kept current: Dexie's liveQuery re-runs it after every write that touches
 * what it read, in this tab and in other tabs of the app. `key` names what the query depends on (a person id,
 * a cache key): a new key starts a new subscription. `initial` until the first answer, and when the database
 * can't be opened (the screens then show what they have instead of failing).
 */
export function useLive<T>(query: () => Promise<T>, key: string, initial: T): T {
  const [value, setValue] = useState<T>(initial);
  const latest = useRef({ query, initial });
  latest.current = { query, initial };
  useEffect(() => {
    void key; // the subscription is per key; the query itself is read from the ref
    const { query: run, initial: fallback } = latest.current;
    const subscription = liveQuery(run).subscribe({
      next: (next) => setValue(next),
      error: () => setValue(fallback),
    });
    return () => subscription.unsubscribe();
  }, [key]);
  return value;
}
