import type { InsightCreate } from '../../contract/api/insights.ts';

/**
 * Insights saved on this device that the server has not confirmed yet, oldest first, in localStorage so they
 * survive a reload, a closed tab and a trip through sign-in. Nothing here ever drops an item on its own: an
 * item leaves only when the server has stored it (or the person removes it themselves). Each item is exactly
 * the POST /api/v1/insights body, with its client-generated id and capturedAt, so a retry is idempotent.
 */

/** More than a very long conference day; beyond it the form keeps the text and says why. */
export const OUTBOX_LIMIT = 500;
const KEY = 'bi.capture.outbox.v1';

/** Why the server refused an item (validation, id conflict): shown to the person, kept until they act. */
export interface OutboxProblem {
  status: number;
  detail: string;
  fields: { field: string; message: string }[];
}

export interface OutboxItem {
  body: InsightCreate;
  /** Whose insight it is: only that person's session may send it. */
  ownerId: string;
  ownerName: string;
  queuedAt: string;
  problem: OutboxProblem | null;
}

export type EnqueueResult = 'queued' | 'full' | 'unavailable';

function isItem(value: unknown): value is OutboxItem {
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

/** Everything stored, as stored: entries this version cannot read are kept, never rewritten away. */
function readRaw(): unknown[] {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (raw === null) return [];
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

const listeners = new Set<() => void>();

function writeRaw(items: unknown[]): boolean {
  try {
    if (items.length === 0) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, JSON.stringify(items));
  } catch {
    return false;
  }
  for (const listener of listeners) listener();
  return true;
}

/** Queued items, oldest first. */
export function list(): OutboxItem[] {
  return readRaw().filter(isItem);
}

/** How many are queued (of one person, when given). */
export function count(ownerId?: string): number {
  return list().filter((item) => ownerId === undefined || item.ownerId === ownerId).length;
}

/** Items of this person still to send (not waiting for their attention). */
export function pendingOf(ownerId: string): OutboxItem[] {
  return list().filter((item) => item.ownerId === ownerId && item.problem === null);
}

/** Adds an insight at the end; the same id again keeps the first copy (it is the same save). */
export function enqueue(body: InsightCreate, owner: { id: string; name: string }): EnqueueResult {
  const raw = readRaw();
  if (raw.some((entry) => isItem(entry) && entry.body.id === body.id)) return 'queued';
  if (raw.length >= OUTBOX_LIMIT) return 'full';
  const item: OutboxItem = {
    body,
    ownerId: owner.id,
    ownerName: owner.name,
    queuedAt: new Date().toISOString(),
    problem: null,
  };
  return writeRaw([...raw, item]) ? 'queued' : 'unavailable';
}

/** The server has the insight (or the person removed it): it leaves the outbox. */
export function remove(id: string): void {
  const raw = readRaw();
  const kept = raw.filter((entry) => !(isItem(entry) && entry.body.id === id));
  if (kept.length !== raw.length) writeRaw(kept);
}

/** Records (or, with null, clears) why the server refused an item. */
export function setProblem(id: string, problem: OutboxProblem | null): void {
  const raw = readRaw();
  writeRaw(raw.map((entry) => (isItem(entry) && entry.body.id === id ? { ...entry, problem } : entry)));
}

/** Called after every change, in this tab and (through the storage event) in other tabs. */
export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
