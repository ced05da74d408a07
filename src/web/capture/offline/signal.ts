/**
 * "The outbox changed, try to send": queue/retry/resolve call nudgeSync(), the sync loop (sync.ts) listens.
 * A tiny in-process signal so the storage functions don't import the loop (the service worker uses neither).
 */
const listeners = new Set<() => void>();

export function onNudge(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function nudgeSync(): void {
  for (const listener of listeners) {
    try {
      listener();
    } catch {
      // A listener failing must not fail the save that nudged it.
    }
  }
}
