import { useEffect, useRef, useState } from 'react';
import type { ViewSurface } from '../../../../contract/analytics.ts';
import { api } from '../../../ui/api.ts';

/**
 * Report engagement for the product analytics: a reporting page says once per visit that it was viewed
 * (POST /api/v1/analytics/views). The view id is made once per visit, so a repeated effect (React's strict
 * mode) or a resent request counts once; filter changes inside the page are the same visit. Failures are
 * ignored: measuring must never disturb the page.
 */

/** A random UUID v4, also where crypto.randomUUID is missing (plain http outside localhost). */
export function newViewId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function sendView(surface: ViewSurface, viewId: string = newViewId()): void {
  api
    .post('/api/v1/analytics/views', { surface, viewId }, { redirectOnUnauthorized: false })
    .catch(() => undefined);
}

/** Announce this page's view once per visit. */
export function useViewBeacon(surface: ViewSurface): void {
  const [viewId] = useState(newViewId);
  useEffect(() => sendView(surface, viewId), [surface, viewId]);
}

/**
 * A saved view opened: once each time the Insights list's filter becomes a saved view's (chosen from the list,
 * or opened by its link), judged when the filter changes or the views have loaded — so saving the current
 * filter as a view is not an opening.
 */
export function useSavedViewBeacon(loaded: boolean, filterKey: string, showingView: boolean): void {
  const judged = useRef<string | null>(null);
  useEffect(() => {
    if (!loaded || judged.current === filterKey) return;
    judged.current = filterKey;
    if (showingView) sendView('saved_view');
  }, [loaded, filterKey, showingView]);
}
