import { useMemo, useSyncExternalStore } from 'react';
import { parseHash, type Route } from './lib/routes.ts';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

const currentHash = () => window.location.hash;

/** The tab and sub-page in the address (`#/capture/draft/<id>`), live. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return useMemo(() => parseHash(hash), [hash]);
}

/** Go to a hash route in place of the current one (no history entry: e.g. leaving a draft that was saved). */
export function replaceRoute(href: string): void {
  if (window.location.hash !== href) window.location.replace(href);
}
