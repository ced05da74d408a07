import type { InsightCreate } from '../../../contract/api/insights.ts';
import { captureDb } from './db.ts';
import type { InsightItem, OutboxProblem } from './types.ts';

/** Where the previous version of the app kept its outbox (a JSON array in localStorage). */
export const LEGACY_KEY = 'bi.capture.outbox.v1';

interface LegacyItem {
  body: InsightCreate;
  ownerId: string;
  ownerName?: unknown;
  queuedAt?: unknown;
  problem?: unknown;
}

function isLegacyItem(value: unknown): value is LegacyItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  const body = item.body as Record<string, unknown> | null | undefined;
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof body.id === 'string' &&
    typeof item.ownerId === 'string'
  );
}

function problemOf(value: unknown): OutboxProblem | null {
  if (typeof value !== 'object' || value === null) return null;
  const p = value as Record<string, unknown>;
  return {
    status: typeof p.status === 'number' ? p.status : 422,
    detail: typeof p.detail === 'string' ? p.detail : 'The server did not accept this insight.',
    fields: Array.isArray(p.fields) ? (p.fields as OutboxProblem['fields']) : [],
  };
}

/**
 * Moves the previous version's queued captures into the IndexedDB outbox, once: the key is removed only after
 * the IndexedDB write committed, and an id already in the outbox is not added again (two tabs importing at the
 * same time, or a crash between commit and removal, still end with one row per capture). Entries this version
 * cannot read stay under the key rather than being thrown away. Returns how many captures were added.
 * Called by startSync (sync.ts), so the app doesn't have to.
 */
export async function importLegacyOutbox(
  storage: Storage | undefined = globalThis.localStorage,
): Promise<number> {
  if (storage === undefined) return 0;
  let raw: string | null;
  try {
    raw = storage.getItem(LEGACY_KEY);
  } catch {
    return 0;
  }
  if (raw === null) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 0; // Unreadable: left where it is.
  }
  const entries = Array.isArray(parsed) ? parsed : [];
  const readable = entries.filter(isLegacyItem);
  const unreadable = entries.filter((entry) => !isLegacyItem(entry));
  const db = captureDb();
  const added = await db.transaction('rw', db.outbox, async () => {
    let count = 0;
    for (const entry of readable) {
      if ((await db.outbox.get(entry.body.id)) !== undefined) continue;
      const problem = problemOf(entry.problem);
      const item: InsightItem = {
        id: entry.body.id,
        kind: 'insight',
        body: entry.body,
        ownerId: entry.ownerId,
        ownerName: typeof entry.ownerName === 'string' ? entry.ownerName : '',
        queuedAt: typeof entry.queuedAt === 'string' ? entry.queuedAt : new Date().toISOString(),
        state: problem === null ? 'pending' : 'attention',
        attempts: 0,
        nextAttemptAt: 0,
        problem,
      };
      await db.outbox.add(item);
      count += 1;
    }
    return count;
  });
  try {
    if (unreadable.length === 0) storage.removeItem(LEGACY_KEY);
    else storage.setItem(LEGACY_KEY, JSON.stringify(unreadable));
  } catch {
    // The next start tries again; the ids already imported are skipped then.
  }
  return added;
}
