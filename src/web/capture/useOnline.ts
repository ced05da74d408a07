import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

const online = () => navigator.onLine !== false;

/** What the browser believes about the network (false is reliable; true only means "maybe"). */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, online);
}
