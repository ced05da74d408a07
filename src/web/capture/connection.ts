import { useSyncExternalStore } from 'react';
import { CAPTURE_CLIENT, CLIENT_HEADER } from '../../contract/analytics.ts';
import { ROLES, type Role } from '../../contract/roles.ts';
import { ApiError, api } from '../ui/api.ts';

/**
 * Capture never leaves the page on its own when the session ends: the advocate may be mid-sentence or have
 * insights waiting on this device. Its requests opt out of api.ts's sign-in redirect; a 401 (here, or in the
 * sync loop) marks the session as ended, and the app asks the person to sign in (SessionBanner) when it suits
 * them. Writes never go through here: they are queued on the device (offline/) and sent by the sync loop.
 */

let ended = false;
const listeners = new Set<() => void>();

export function markSessionEnded(): void {
  if (ended) return;
  ended = true;
  for (const listener of listeners) listener();
}

/** The person is signed in again (another tab did it): the app syncs again without a reload. */
export function clearSessionEnded(): void {
  if (!ended) return;
  ended = false;
  for (const listener of listeners) listener();
}

export function useSessionEnded(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => ended,
  );
}

/** Also names the app to the server (X-BI-Client: capture), as the sync loop's requests do (transport.ts). */
const quiet = { redirectOnUnauthorized: false, headers: { [CLIENT_HEADER]: CAPTURE_CLIENT } } as const;

function noting401<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) markSessionEnded();
    throw error;
  });
}

/** api.get / api.postBlob for capture: a 401 marks the session ended instead of navigating away. */
export const captureApi = {
  get: <T>(path: string, params: Parameters<typeof api.get>[1] = {}) =>
    noting401(api.get<T>(path, params, quiet)),
  postBlob: <T>(path: string, blob: Blob) => noting401(api.postBlob<T>(path, blob, quiet)),
};

/** Who captured here last: lets the screen keep working (into the outbox) when /api/v1/me cannot answer. */
export interface Who {
  person: { id: string; name: string };
  role: Role;
}

const WHO_KEY = 'bi.capture.person';

export function rememberWho(who: Who): void {
  try {
    const value: Who = { person: { id: who.person.id, name: who.person.name }, role: who.role };
    window.localStorage.setItem(WHO_KEY, JSON.stringify(value));
  } catch {
    // Storage unavailable: without it there is no offline outbox either.
  }
}

export function recallWho(): Who | null {
  try {
    const raw = window.localStorage.getItem(WHO_KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<Who> | null;
    const person = parsed?.person;
    const role = ROLES.find((candidate) => candidate === parsed?.role);
    if (typeof person?.id !== 'string' || typeof person.name !== 'string' || role === undefined) return null;
    return { person: { id: person.id, name: person.name }, role };
  } catch {
    return null;
  }
}

/** On sign-out: the device no longer stands for this person (their queued insights stay). */
export function forgetWho(): void {
  try {
    window.localStorage.removeItem(WHO_KEY);
  } catch {
    // nothing to forget
  }
}
