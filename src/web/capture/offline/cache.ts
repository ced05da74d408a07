import { captureDb } from './db.ts';
import { useLive } from './live.ts';

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

/** Best effort: a full or missing device storage only means the next offline start shows less. */
export async function writeCache(key: string, value: unknown): Promise<void> {
  try {
    await captureDb().cache.put({ key, value, savedAt: Date.now() });
  } catch {
    // Nothing to do: the value is still on screen; it just won't survive a reload.
  }
}

/** The cached value under `key`, live (null until read or when nothing is saved). */
export function useCached<T>(key: string): T | null {
  return useLive(async () => ((await captureDb().cache.get(key))?.value as T | undefined) ?? null, key, null);
}
