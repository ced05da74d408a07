import { useCallback, useEffect, useRef, useState } from 'react';
import type { Insight } from '../../contract/api/insights.ts';
import { ApiError } from '../ui/api.ts';
import { loadMe } from '../ui/session.ts';
import { captureApi, isSessionEnded, markSessionEnded } from './connection.ts';
import * as outbox from './outbox.ts';

/** How often the queue is tried while something waits (besides on load, on `online` and after each save). */
export const SYNC_INTERVAL_MS = 30_000;

export interface Outbox {
  /** This person's insights waiting to be sent. */
  pending: number;
  /** This person's insights the server refused: shown with the reason, never dropped silently. */
  attention: outbox.OutboxItem[];
  /** Other people's insights on this device, waiting for them to sign in. */
  others: { id: string; name: string; count: number }[];
  syncing: boolean;
  sync: () => void;
  retry: (id: string) => void;
  discard: (id: string) => void;
}

type Outcome = 'sent' | 'refused' | 'stop';

/** One POST of a queued item; the server answers 200 or 201 for the same id however often it is sent. */
async function send(item: outbox.OutboxItem, refreshCsrf: () => Promise<boolean>): Promise<Outcome> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await captureApi.post<Insight>('/api/v1/insights', item.body);
      outbox.remove(item.body.id);
      return 'sent';
    } catch (error) {
      if (!(error instanceof ApiError)) return 'stop'; // NetworkError or a bug: try again later
      if (error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500)
        return 'stop';
      // A 403 may be a CSRF token from an older session: fetch a fresh one once before believing it.
      if (error.status === 403 && attempt === 0) {
        if (await refreshCsrf()) continue;
        return 'stop';
      }
      outbox.setProblem(item.body.id, {
        status: error.status,
        detail: error.detail ?? error.title,
        fields: error.fieldErrors,
      });
      return 'refused';
    }
  }
  return 'stop';
}

/**
 * The outbox of the signed-in person and the loop that drains it, in order: on load, when the browser comes
 * back online, every 30 seconds, and whenever `sync()` is called (after each save). A 401 stops the loop
 * (connection.ts marks the session ended and the screen asks to sign in); after sign-in the page loads again
 * and the loop picks up where it stopped.
 */
export function useOutbox(personId: string, live: boolean, afterSync: () => void): Outbox {
  const [, setTick] = useState(0);
  const [syncing, setSyncing] = useState(false);
  const running = useRef(false);
  const again = useRef(false);
  const hasSession = useRef(live);

  useEffect(() => outbox.subscribe(() => setTick((tick) => tick + 1)), []);

  /** Loads /api/v1/me (and with it the CSRF token); false when it cannot answer yes now. */
  const refreshSession = useCallback(async () => {
    try {
      await loadMe({ redirectOnUnauthorized: false });
      hasSession.current = true;
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) markSessionEnded();
      return false;
    }
  }, []);

  const sync = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return;
    }
    if (isSessionEnded() || outbox.pendingOf(personId).length === 0) return;
    running.current = true;
    setSyncing(true);
    let sent = 0;
    try {
      if (!hasSession.current && !(await refreshSession())) return;
      do {
        again.current = false;
        for (const item of outbox.pendingOf(personId)) {
          if (isSessionEnded()) return;
          const outcome = await send(item, refreshSession);
          if (outcome === 'stop') return;
          if (outcome === 'sent') sent += 1;
        }
      } while (again.current);
    } finally {
      running.current = false;
      setSyncing(false);
      if (sent > 0) afterSync();
    }
  }, [personId, refreshSession, afterSync]);

  useEffect(() => {
    const run = () => void sync();
    run();
    const timer = window.setInterval(run, SYNC_INTERVAL_MS);
    window.addEventListener('online', run);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('online', run);
    };
  }, [sync]);

  const items = outbox.list();
  const mine = items.filter((item) => item.ownerId === personId);
  const others = new Map<string, { id: string; name: string; count: number }>();
  for (const item of items) {
    if (item.ownerId === personId) continue;
    const entry = others.get(item.ownerId) ?? { id: item.ownerId, name: item.ownerName, count: 0 };
    entry.count += 1;
    others.set(item.ownerId, entry);
  }

  return {
    pending: mine.filter((item) => item.problem === null).length,
    attention: mine.filter((item) => item.problem !== null),
    others: [...others.values()],
    syncing,
    sync: () => void sync(),
    retry: (id) => {
      outbox.setProblem(id, null);
      void sync();
    },
    discard: (id) => outbox.remove(id),
  };
}
