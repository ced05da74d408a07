import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureConfig } from '../../contract/api/capture.ts';
import type { EventList, EventSummary } from '../../contract/api/events.ts';
import type { Impact } from '../../contract/api/social.ts';
import { errorMessage } from '../ui/api.ts';
import { captureApi } from './connection.ts';
import { useCached, writeCache } from './offline/cache.ts';
import { NO_CHECK_IN, setCheckIn, useCheckIn } from './storage.ts';

/**
 * Reference data from the server, kept on the device (offline/cache.ts) so the app shows the last known answer
 * when there is no signal. Each fetch happens on mount, when the browser comes back online and when
 * `refreshKey` changes (e.g. after the outbox synced, so counts include what was just sent).
 */
export interface Remote<T> {
  value: T | null;
  /** The value came from the server on this page view (not only from the device). */
  fresh: boolean;
  /** Why the last fetch failed (plain words), null after a success. */
  error: string | null;
  loading: boolean;
  refresh: () => Promise<void>;
}

export function useRemote<T>(
  cacheKey: string,
  load: () => Promise<T>,
  refreshKey: unknown = null,
): Remote<T> {
  const cached = useCached<T>(cacheKey);
  const [fresh, setFresh] = useState<{ key: string; value: T } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      const value = await loadRef.current();
      void writeCache(cacheKey, value);
      if (!mounted.current) return;
      setFresh({ key: cacheKey, value });
      setError(null);
    } catch (cause) {
      if (mounted.current) setError(errorMessage(cause));
    } finally {
      if (mounted.current) setLoading(false);
    }
  }, [cacheKey]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the caller's "fetch again" signal
  useEffect(() => {
    void refresh();
  }, [refresh, refreshKey]);

  useEffect(() => {
    const again = () => void refresh();
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [refresh]);

  const current = fresh?.key === cacheKey ? fresh.value : null;
  return { value: current ?? cached, fresh: current !== null, error, loading, refresh };
}

/** Speech-to-text on or off, and the limits; the last answer is used offline. */
export function useCaptureConfig(): Remote<CaptureConfig> {
  return useRemote('capture-config', () => captureApi.get<CaptureConfig>('/api/v1/capture/config'));
}

/** My numbers and recent insights with what the team said (Home's count, the Impact tab). */
export function useImpact(personId: string, refreshKey: unknown): Remote<Impact> {
  return useRemote(
    `impact:${personId}`,
    () => captureApi.get<Impact>('/api/v1/me/impact', { limit: 20 }),
    refreshKey,
  );
}

/**
 * The active events and their sessions, the ones the advocate is assigned to first (the picker endpoint). A
 * fresh list also settles the check-in: an event that is no longer active falls back to none, a removed
 * session to the whole event, and renamed ones show their new names.
 */
export function useEvents(): Remote<EventSummary[]> {
  const remote = useRemote('events', async () => {
    const list = await captureApi.get<EventList>('/api/v1/events/picker');
    return list.items;
  });
  const checkIn = useCheckIn();
  const events = remote.fresh ? remote.value : null;
  useEffect(() => {
    if (events === null || checkIn.eventId === null) return;
    const event = events.find((candidate) => candidate.id === checkIn.eventId);
    if (event === undefined) {
      setCheckIn(NO_CHECK_IN);
      return;
    }
    const session = event.sessions.find((candidate) => candidate.id === checkIn.sessionId) ?? null;
    const sessionTitle = session?.title ?? null;
    if (
      event.name !== checkIn.eventName ||
      (session?.id ?? null) !== checkIn.sessionId ||
      sessionTitle !== checkIn.sessionTitle
    ) {
      setCheckIn({ eventId: event.id, sessionId: session?.id ?? null, eventName: event.name, sessionTitle });
    }
  }, [events, checkIn]);
  return remote;
}
