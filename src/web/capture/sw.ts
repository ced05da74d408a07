import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { captureDb } from './offline/db.ts';
import { drain } from './offline/engine.ts';
import { SYNC_TAG } from './offline/engine-support.ts';
import { APP_VERSION } from './offline/version.ts';

/**
 * The capture app's service worker (built by vite-plugin-pwa, served as /capture/sw.js, scope /capture/):
 *  - precaches the capture shell and its assets (the list is injected at build time), so the app opens offline;
 *  - answers navigations under /capture/ with the cached shell;
 *  - never answers API requests from a cache (the app keeps its own data in IndexedDB);
 *  - waits with an update until the page asks (SKIP_WAITING), so nobody loses what they are typing;
 *  - runs the outbox drain on Background Sync, the same code the page runs.
 * Typed against the DOM lib (the project's one tsconfig), with the few worker-only shapes declared here.
 */

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface SyncEventLike extends ExtendableEventLike {
  readonly tag: string;
}
interface WorkerScope {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  skipWaiting(): Promise<void>;
  fetch: typeof fetch;
  addEventListener(type: 'sync', listener: (event: SyncEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
declare const self: WorkerScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Offline or not, every /capture/ page is the single-page app: the shell routes on the client.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/capture/index.html'), { allowlist: [/^\/capture\//] }),
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

/**
 * Background Sync: drain for whoever the session cookie says is signed in (GET /api/v1/me inside the engine).
 * Signed out: nothing to do, and nothing is retried. Not finished (offline, server busy): reject, so the
 * browser schedules another attempt.
 */
async function backgroundDrain(): Promise<void> {
  const result = await drain({
    db: captureDb(),
    fetch: (path, init) => self.fetch(path, init),
    appVersion: APP_VERSION,
  });
  if (result.state === 'waiting' || result.state === 'offline') {
    throw new Error(result.lastError ?? 'The outbox could not be sent yet');
  }
}

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(backgroundDrain());
});
