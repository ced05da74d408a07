import { useSyncExternalStore } from 'react';
import { Workbox } from 'workbox-window';

/**
 * The service worker's life cycle as the page needs it: register it, notice when a new version is installed
 * and waiting, and switch to it only when the person says so (their input is saved first by the screens).
 */

export const SW_URL = '/capture/sw.js';
export const SW_SCOPE = '/capture/';
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let workbox: Workbox | null = null;
let available = false;
const listeners = new Set<() => void>();

function setAvailable(next: boolean): void {
  available = next;
  for (const listener of listeners) listener();
}

/** Register /capture/sw.js (once per page). Does nothing where service workers are not available. */
export function registerCaptureWorker(): void {
  if (workbox !== null || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const wb = new Workbox(SW_URL, { scope: SW_SCOPE });
  workbox = wb;
  // Fires for a worker installed now and for one already waiting when this page loaded (another tab's update).
  wb.addEventListener('waiting', () => setAvailable(true));
  wb.register().catch(() => {
    // No worker (vite dev server, blocked by the browser): the app works online, and its outbox still persists.
  });
  const check = () => {
    wb.update().catch(() => undefined);
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
  setInterval(check, UPDATE_CHECK_MS);
}

let reloading = false;
const reloadOnce = () => {
  if (reloading) return;
  reloading = true;
  window.location.reload();
};

/**
 * Tell the waiting worker to take over, then reload once it is in charge (so code and cache match). A page the
 * old worker controls switches controller (`controllerchange`); a page no worker controls yet (the first visit:
 * the worker does not claim open pages) reloads when the new worker is activated.
 */
function reload(): void {
  if (workbox === null || !available) {
    reloadOnce();
    return;
  }
  const container = navigator.serviceWorker;
  container.addEventListener('controllerchange', reloadOnce);
  void container.getRegistration(SW_SCOPE).then((registration) => {
    const waiting = registration?.waiting;
    if (!waiting) {
      reloadOnce();
      return;
    }
    waiting.addEventListener('statechange', () => {
      if (waiting.state === 'activated' && container.controller === null) reloadOnce();
    });
    waiting.postMessage({ type: 'SKIP_WAITING' });
  }, reloadOnce);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getAvailable = () => available;

/** available: a new version is installed and waiting; reload() switches to it. */
export function useUpdateAvailable(): { available: boolean; reload: () => void } {
  return { available: useSyncExternalStore(subscribe, getAvailable, getAvailable), reload };
}
