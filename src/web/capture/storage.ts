import { useSyncExternalStore } from 'react';
import type { CaptureContext } from './lib/form.ts';
import { deviceStorageSealed } from './offline/cache.ts';

/**
 * Small things the app remembers in localStorage (synchronous, so the first render already has them): where the
 * advocate is checked in (until changed) and the unsaved form text (across reloads, app updates and sign-in
 * round trips). What must never be lost (captures, drafts, photos) lives in IndexedDB (offline/).
 */

/** The check-in, with the names so the chip reads right offline, before any list has loaded. */
export interface CheckIn extends CaptureContext {
  eventName: string | null;
  sessionTitle: string | null;
}

export const NO_CHECK_IN: CheckIn = { eventId: null, sessionId: null, eventName: null, sessionTitle: null };

const CONTEXT_KEY = 'bi.capture.context';

const stringOrNull = (value: unknown, max = 300): string | null =>
  typeof value === 'string' && value !== '' ? value.slice(0, max) : null;

function readCheckIn(): CheckIn {
  try {
    const raw = window.localStorage.getItem(CONTEXT_KEY);
    if (raw === null) return NO_CHECK_IN;
    const parsed = JSON.parse(raw) as Record<string, unknown> | null;
    if (typeof parsed !== 'object' || parsed === null) return NO_CHECK_IN;
    const eventId = stringOrNull(parsed.eventId, 64);
    if (eventId === null) return NO_CHECK_IN;
    const sessionId = stringOrNull(parsed.sessionId, 64);
    return {
      eventId,
      sessionId,
      eventName: stringOrNull(parsed.eventName),
      sessionTitle: sessionId === null ? null : stringOrNull(parsed.sessionTitle),
    };
  } catch {
    return NO_CHECK_IN;
  }
}

let checkIn: CheckIn | null = null;
const listeners = new Set<() => void>();

function currentCheckIn(): CheckIn {
  checkIn ??= readCheckIn();
  return checkIn;
}

export function setCheckIn(next: CheckIn): void {
  checkIn = next.eventId === null ? NO_CHECK_IN : next;
  if (deviceStorageSealed()) return;
  try {
    if (next.eventId === null) window.localStorage.removeItem(CONTEXT_KEY);
    else window.localStorage.setItem(CONTEXT_KEY, JSON.stringify(next));
  } catch {
    // Private mode or full storage: the check-in holds for this page view.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab checked in elsewhere: follow it.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== CONTEXT_KEY && event.key !== null) return;
    checkIn = readCheckIn();
    listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Where the advocate is checked in, live across components and tabs. */
export function useCheckIn(): CheckIn {
  return useSyncExternalStore(subscribe, currentCheckIn);
}

/**
 * Read a JSON value kept on this device (localStorage: a phone may close a backgrounded app at any time, and the
 * unsaved form must come back when it is reopened); null when missing or unreadable.
 */
export function loadKept(key: string): unknown {
  try {
    const raw = window.localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

/** Keep (or with null, forget) a JSON value on this device. */
export function saveKept(key: string, value: unknown): void {
  if (deviceStorageSealed()) return;
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage unavailable: the form lives only in memory.
  }
}
