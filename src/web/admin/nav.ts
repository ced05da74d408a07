import { useSyncExternalStore } from 'react';
import { atLeast, type Role } from '../../contract/roles.ts';

/**
 * Client-side navigation without a router: the server answers every /admin/* path with this app, the
 * pathname picks the page, and links push history entries. Small on purpose; six pages need no more.
 */
export type PageId = 'dashboard' | 'profile' | 'sessions' | 'tokens' | 'break-glass' | 'claims-model';

export interface PageInfo {
  id: PageId;
  path: string;
  label: string;
  /** Admin → … pages: the server refuses other roles anyway; the UI does not offer them. */
  adminOnly: boolean;
}

export const PAGES: readonly PageInfo[] = [
  { id: 'dashboard', path: '/admin/', label: 'Dashboard', adminOnly: false },
  { id: 'profile', path: '/admin/profile', label: 'Profile', adminOnly: false },
  { id: 'sessions', path: '/admin/sessions', label: 'Sessions', adminOnly: true },
  { id: 'tokens', path: '/admin/tokens', label: 'Tokens', adminOnly: true },
  { id: 'break-glass', path: '/admin/break-glass', label: 'Break-glass', adminOnly: true },
  { id: 'claims-model', path: '/admin/claims-model', label: 'Claims model', adminOnly: true },
];

/** Managers, viewers and admins report; advocates capture, and their /admin/ is their profile. */
export function seesDashboard(role: Role): boolean {
  return atLeast(role, 'manager') || role === 'viewer';
}

/** The page of a pathname (trailing slash optional); null when /admin/ has no such page. */
export function pageOf(pathname: string): PageInfo | null {
  const trimmed = pathname.replace(/\/+$/, '');
  const path = trimmed === '/admin' ? '/admin/' : trimmed;
  return PAGES.find((page) => page.path === path) ?? null;
}

export function pageInfo(id: PageId): PageInfo {
  const page = PAGES.find((candidate) => candidate.id === id);
  if (page === undefined) throw new Error(`unknown page ${id}`);
  return page;
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The current pathname; re-renders on navigate() and on the browser's back and forward buttons. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}
