import { captureDb } from './db.ts';
import { useLive } from './live.ts';
import { isCachedRead, isExpiredRead } from './retention.ts';

/**
 * Reference data the app shows offline (events, recent insights, capture config), saved on the device with the
 * time it was fetched. The service worker never caches API answers; this is the one place they are kept.
 */

export async function readCache<T>(key: string): Promise<{ value: T; savedAt: number } | null> {
  try {
    const row = await captureDb().cache.get(key);
    return row === undefined ? null : { value: row.value as T, savedAt: row.savedAt };
  } catch {
    return null;
  }
}

let sealed = false;

/**
 * Sign-out is clearing the device: from now on this page writes nothing more to the cache or localStorage
 * (a fetch that answers late must not put back what was just cleared). The page navigates away right after.
 */
export function sealDeviceStorage(): void {
  sealed = true;
}

export function deviceStorageSealed(): boolean {
  return sealed;
}

/** Best effort: a full or missing device storage only means the next offline start shows less. */
export async function writeCache(key: string, value: unknown): Promise<void> {
  if (sealed) return;
  try {
    await captureDb().cache.put({ key, value, savedAt: Date.now() });
  } catch {
    // Nothing to do: the value is still on screen; it just won't survive a reload.
  }
}

/**
 * The cached value under `key`, live (null until read, when nothing is saved, and for a cached read older than
 * RETENTION.cachedReadMaxAgeMs: a stale Impact view is worse than none).
 */
export function useCached<T>(key: string): T | null {
  return useLive(
    async () => {
      const row = await captureDb().cache.get(key);
      if (row === undefined || (isCachedRead(key) && isExpiredRead(row.savedAt))) return null;
      return row.value as T;
    },
    key,
    null,
  );
}
