import { captureDb } from './db.ts';
import { useLive } from './live.ts';
import type { EditItem, OutboxItem, OutboxView } from './types.ts';

/** The outbox for the screens: the storage functions (store.ts) and live views of it. */
export {
  discard,
  editQueuedInsight,
  getBlob,
  OUTBOX_LIMIT,
  type QueueResult,
  queueBug,
  queueEdit,
  queueInsight,
  resolveConflict,
  retry,
} from './store.ts';

const byQueuedAt = (a: OutboxItem, b: OutboxItem) => a.queuedAt.localeCompare(b.queuedAt);

/** One person's items by state, and how many items other people left on this device. */
export function outboxViewOf(items: OutboxItem[], personId: string): OutboxView {
  const mine = items.filter((item) => item.ownerId === personId).sort(byQueuedAt);
  const others = new Map<string, { id: string; name: string; count: number }>();
  for (const item of items) {
    if (item.ownerId === personId) continue;
    const entry = others.get(item.ownerId) ?? { id: item.ownerId, name: item.ownerName, count: 0 };
    entry.count += 1;
    others.set(item.ownerId, entry);
  }
  return {
    pending: mine.filter((item) => item.state === 'pending'),
    attention: mine.filter((item) => item.state === 'attention'),
    conflicts: mine.filter((item): item is EditItem => item.kind === 'edit' && item.state === 'conflict'),
    others: [...others.values()],
  };
}

const EMPTY_VIEW: OutboxView = { pending: [], attention: [], conflicts: [], others: [] };

/** The outbox of the signed-in person, live (re-renders on any change, in this tab or another). */
export function useOutboxView(personId: string): OutboxView {
  return useLive(
    async () => outboxViewOf(await captureDb().outbox.toArray(), personId),
    personId,
    EMPTY_VIEW,
  );
}

/**
 * How many of this person's items are still only on the device (every kind and state: waiting, refused,
 * in conflict). Zero means everything they made is on the server.
 */
export function usePendingCount(personId: string): number {
  return useLive(() => captureDb().outbox.where('ownerId').equals(personId).count(), personId, 0);
}
