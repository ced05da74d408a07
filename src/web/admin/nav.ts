import { useSyncExternalStore } from 'react';
import { atLeast, type Role } from '../../contract/roles.ts';

/**
 * Client-side navigation without a router: the server answers every /admin/* path with this app, the
 * pathname picks the page, and links push history entries. Small on purpose; a dozen pages need no more.
 */
export type PageId =
  | 'dashboard'
  | 'profile'
  | 'people'
  | 'exceptions'
  | 'reviews'
  | 'sessions'
  | 'tokens'
  | 'break-glass'
  | 'claims-model'
  | 'org'
  | 'rules'
  | 'bug-reports'
  | 'insights'
  | 'duplicates'
  | 'leaderboard'
  | 'themes'
  | 'reports'
  | 'events'
  | 'imports'
  | 'forms'
  | 'digest'
  | 'audit'
  | 'analytics'
  | 'readiness'
  | 'decisions'
  | 'workspace'
  | 'packages';

export interface PageInfo {
  id: PageId;
  path: string;
  label: string;
  /** Admin → … pages: the server refuses other roles anyway; the UI does not offer them. */
  adminOnly: boolean;
  /** Pages below Admin that still need a role (People: managers and admins). */
  minRole?: Role;
  /** A reporting page (leaderboard, themes, reports): offered to whoever sees the dashboard. */
  reporting?: boolean;
  /** The page also answers paths below it (/admin/people/<id>). */
  nested?: boolean;
}

export const PAGES: readonly PageInfo[] = [
  { id: 'dashboard', path: '/admin/', label: 'Dashboard', adminOnly: false },
  { id: 'insights', path: '/admin/insights', label: 'Insights', adminOnly: false, nested: true },
  { id: 'duplicates', path: '/admin/duplicates', label: 'Duplicates', adminOnly: false },
  { id: 'leaderboard', path: '/admin/leaderboard', label: 'Leaderboard', adminOnly: false, reporting: true },
  { id: 'themes', path: '/admin/themes', label: 'Themes', adminOnly: false, reporting: true },
  { id: 'reports', path: '/admin/reports', label: 'Reports', adminOnly: false, reporting: true },
  { id: 'events', path: '/admin/events', label: 'Events', adminOnly: false, nested: true },
  { id: 'imports', path: '/admin/imports', label: 'Import events', adminOnly: false, minRole: 'manager' },
  { id: 'forms', path: '/admin/forms', label: 'Forms', adminOnly: false, minRole: 'advocate', nested: true },
  { id: 'digest', path: '/admin/digest', label: 'Slack digest', adminOnly: false, minRole: 'manager' },
  { id: 'profile', path: '/admin/profile', label: 'Profile', adminOnly: false },
  {
    id: 'people',
    path: '/admin/people',
    label: 'People',
    adminOnly: false,
    minRole: 'manager',
    nested: true,
  },
  { id: 'exceptions', path: '/admin/exceptions', label: 'Exceptions', adminOnly: false },
  { id: 'reviews', path: '/admin/reviews', label: 'Reviews', adminOnly: false, nested: true },
  { id: 'sessions', path: '/admin/sessions', label: 'Sessions', adminOnly: true },
  { id: 'tokens', path: '/admin/tokens', label: 'Tokens', adminOnly: true },
  { id: 'break-glass', path: '/admin/break-glass', label: 'Break-glass', adminOnly: true },
  { id: 'claims-model', path: '/admin/claims-model', label: 'Claims model', adminOnly: true },
  { id: 'org', path: '/admin/org', label: 'Org', adminOnly: true },
  { id: 'rules', path: '/admin/rules', label: 'Rules', adminOnly: true },
  { id: 'bug-reports', path: '/admin/bug-reports', label: 'Bug reports', adminOnly: true },
  { id: 'audit', path: '/admin/audit', label: 'Audit log', adminOnly: true, nested: true },
  { id: 'analytics', path: '/admin/analytics', label: 'Analytics', adminOnly: true },
  { id: 'readiness', path: '/admin/readiness', label: 'Readiness', adminOnly: false, reporting: true },
  {
    id: 'decisions',
    path: '/admin/decisions',
    label: 'Decisions',
    adminOnly: false,
    reporting: true,
    nested: true,
  },
  {
    id: 'workspace',
    path: '/admin/workspace',
    label: 'Program',
    adminOnly: false,
    reporting: true,
    nested: true,
  },
  { id: 'packages', path: '/admin/packages', label: 'Packages', adminOnly: true, nested: true },
];

/** Managers, viewers and admins report; advocates capture, and their /admin/ is their profile. */
export function seesDashboard(role: Role): boolean {
  return atLeast(role, 'manager') || role === 'viewer';
}

/** Whether this role may open the page (the server decides anyway; the UI offers only what works). */
export function mayOpen(page: PageInfo, role: Role): boolean {
  if (page.adminOnly) return role === 'admin';
  if (page.id === 'dashboard' || page.reporting === true) return seesDashboard(role);
  return page.minRole === undefined || atLeast(role, page.minRole);
}

/** The page of a pathname (trailing slash optional); null when /admin/ has no such page. */
export function pageOf(pathname: string): PageInfo | null {
  const trimmed = pathname.replace(/\/+$/, '');
  const path = trimmed === '/admin' ? '/admin/' : trimmed;
  return (
    PAGES.find((page) => page.path === path) ??
    PAGES.find((page) => page.nested === true && path.startsWith(`${page.path}/`)) ??
    null
  );
}

/** The part of the path below a nested page: /admin/people/<id> → "<id>"; null on the page itself. */
export function subPath(pathname: string, page: PageInfo): string | null {
  const rest = pathname.replace(/\/+$/, '').slice(page.path.length + 1);
  if (rest === '') return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
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

/** The current query string ("?a=1" or ""); re-renders on navigate() and on back and forward. */
export const useSearch = (): string => useSyncExternalStore(subscribe, () => window.location.search);

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}
