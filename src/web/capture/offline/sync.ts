import { useSyncExternalStore } from 'react';
import { captureDb } from './db.ts';
import { type DrainResult, drain } from './engine.ts';
import { SYNC_TAG } from './engine-support.ts';
import { importLegacyOutbox } from './legacy.ts';
import { onNudge } from './signal.ts';
import { recordTelemetry, storeTelemetry } from './telemetry.ts';
import type { SyncStatus } from './types.ts';
import { APP_VERSION } from './version.ts';

/**
 * The page's sync loop around the engine (engine.ts): when to drain, what the person sees about it, and
 * Background Sync so the service worker finishes the job when the page is gone. Triggers: start, every
 * queue/retry/resolve (signal.ts), coming back online, the tab becoming visible, a timer for items backing
 * off, and "Sync now".
 */

const OFFLINE_SINCE_KEY = 'sync:offlineSince';
const MAX_TIMER_MS = 300_000;

let status: SyncStatus = { state: 'idle', lastSyncedAt: null, nextAttemptAt: null, lastError: null };
const statusListeners = new Set<() => void>();

function setStatus(next: Partial<SyncStatus>): void {
  status = { ...status, ...next };
  for (const listener of statusListeners) listener();
}

interface Active {
  personId: string;
  onSessionEnded: () => void;
  timer: ReturnType<typeof setTimeout> | null;
  cleanup: () => void;
}

let active: Active | null = null;
let inFlight: Promise<void> | null = null;
let followUp: Promise<void> | null = null;
let followUpForce = false;
let appStartRecorded = false;

const online = () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false);

async function runOnce(force: boolean): Promise<void> {
  const run = active;
  if (run === null) return;
  if (run.timer !== null) clearTimeout(run.timer);
  run.timer = null;
  setStatus({ state: 'syncing' });
  let result: DrainResult;
  try {
    result = await drain(
      {
        db: captureDb(),
        fetch: (path, init) => fetch(path, init),
        isOnline: online,
        appVersion: APP_VERSION,
      },
      { personId: run.personId, force },
    );
  } catch {
    // IndexedDB itself failed (storage evicted, browser bug): say so, try again on the next trigger.
    setStatus({
      state: 'waiting',
      nextAttemptAt: null,
      lastError: 'This device could not read its saved items',
    });
    return;
  }
  if (active !== run) return;
  const lastSyncedAt = result.answeredAt ?? status.lastSyncedAt;
  if (result.state === 'signed_out') {
    setStatus({ state: 'signed_out', nextAttemptAt: null, lastSyncedAt });
    stop(run);
    run.onSessionEnded();
    return;
  }
  setStatus({
    state: result.state,
    nextAttemptAt: result.nextAttemptAt,
    lastError: result.lastError,
    lastSyncedAt,
  });
  if (result.nextAttemptAt !== null) {
    const delay = Math.min(Math.max(result.nextAttemptAt - Date.now(), 1_000), MAX_TIMER_MS);
    run.timer = setTimeout(() => void kick(false), delay);
  }
  if (result.state === 'waiting' || result.state === 'offline') void requestBackgroundSync();
}

/** Drain now, or right after the drain that is running (coalesced: many triggers make one follow-up). */
function kick(force: boolean): Promise<void> {
  if (inFlight === null) {
    inFlight = runOnce(force).finally(() => {
      inFlight = null;
    });
    return inFlight;
  }
  followUpForce ||= force;
  followUp ??= inFlight.then(() => {
    followUp = null;
    const nextForce = followUpForce;
    followUpForce = false;
    return kick(nextForce);
  });
  return followUp;
}

interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/** Ask the browser to wake the service worker for a drain when connectivity returns (Chromium; no-op elsewhere). */
async function requestBackgroundSync(): Promise<void> {
  try {
    const registration = (await navigator.serviceWorker?.getRegistration('/capture/')) as
      | (ServiceWorkerRegistration & SyncRegistration)
      | undefined;
    await registration?.sync?.register(SYNC_TAG);
  } catch {
    // Not supported or not allowed: the page's own triggers still drain the outbox.
  }
}

/** Offline start persisted on the device, so a reload while offline still measures the whole outage. */
async function markOffline(): Promise<void> {
  const db = captureDb();
  await db.transaction('rw', db.cache, async () => {
    if ((await db.cache.get(OFFLINE_SINCE_KEY)) === undefined) {
      await db.cache.put({ key: OFFLINE_SINCE_KEY, value: Date.now(), savedAt: Date.now() });
    }
  });
}

/** Back online: one tab (whichever clears the mark) records the reconnect and how long it was offline. */
async function markOnline(): Promise<void> {
  const db = captureDb();
  const since = await db.transaction('rw', db.cache, async () => {
    const row = await db.cache.get(OFFLINE_SINCE_KEY);
    if (row === undefined) return null;
    await db.cache.delete(OFFLINE_SINCE_KEY);
    return typeof row.value === 'number' ? row.value : null;
  });
  if (since === null) return;
  await storeTelemetry(db, [
    { kind: 'reconnect', value: 1 },
    { kind: 'offline_duration_ms', value: Math.max(0, Date.now() - since) },
  ]);
}

function isStandalone(): boolean {
  const ios = (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return ios || (typeof matchMedia === 'function' && matchMedia('(display-mode: standalone)').matches);
}

function stop(run: Active): void {
  if (run.timer !== null) clearTimeout(run.timer);
  run.cleanup();
  if (active === run) active = null;
}

/**
 * Start the loop for the signed-in person (returns stop). Also imports the previous version's localStorage
 * outbox once, before the first drain. On 401, or when the session turns out to be someone else's, the loop
 * stops and calls onSessionEnded; nothing is lost, and it resumes when startSync runs again after sign-in.
 */
export function startSync(options: { personId: string; onSessionEnded: () => void }): () => void {
  if (active !== null) stop(active);
  const handleOnline = () => {
    void markOnline().catch(() => undefined);
    void kick(false);
  };
  const handleOffline = () => {
    void markOffline().catch(() => undefined);
    setStatus({ state: 'offline' });
  };
  const handleVisible = () => {
    if (document.visibilityState === 'visible') void kick(false);
  };
  const unsubscribe = onNudge(() => void kick(false));
  window.addEventListener('online', handleOnline);
  window.addEventListener('offline', handleOffline);
  document.addEventListener('visibilitychange', handleVisible);
  const run: Active = {
    personId: options.personId,
    onSessionEnded: options.onSessionEnded,
    timer: null,
    cleanup: () => {
      unsubscribe();
      window.removeEventListener('online', handleOnline);
      window.removeEventListener('offline', handleOffline);
      document.removeEventListener('visibilitychange', handleVisible);
    },
  };
  active = run;
  if (!appStartRecorded) {
    appStartRecorded = true;
    recordTelemetry('app_start', 1, { standalone: String(isStandalone()) });
  }
  void (async () => {
    await (online() ? markOnline() : markOffline()).catch(() => undefined);
    await importLegacyOutbox().catch(() => 0);
    if (active === run) await kick(false);
  })();
  return () => stop(run);
}

/** "Sync now": drain at once, ignoring backoff. Resolves when that drain has finished. */
export function syncNow(): Promise<void> {
  return kick(true);
}

export function getSyncStatus(): SyncStatus {
  return status;
}

function subscribe(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

/** The loop's state for the top bar and Profile (re-renders on every change). */
export function useSyncStatus(): SyncStatus {
  return useSyncExternalStore(subscribe, getSyncStatus, getSyncStatus);
}
