/**
 * Hash routes (`#/impact/<insight id>`): a reload, an app update or a trip through sign-in comes back to the
 * same tab, and the service worker needs only the one shell page. Pure: the unit tests import it.
 */

export const TABS = ['home', 'capture', 'context', 'impact', 'profile'] as const;
export type Tab = (typeof TABS)[number];

export const TAB_LABEL: Record<Tab, string> = {
  home: 'Home',
  capture: 'Capture',
  context: 'Context',
  impact: 'Impact',
  profile: 'Profile',
};

export interface Route {
  tab: Tab;
  /** The path below the tab, e.g. ['draft', '<id>'] on Capture. */
  rest: string[];
}

const MAX_SEGMENTS = 4;
const MAX_SEGMENT = 100;

function decode(segment: string): string | null {
  try {
    const value = decodeURIComponent(segment);
    return value.length <= MAX_SEGMENT ? value : null;
  } catch {
    return null;
  }
}

/** Anything unknown or malformed lands on Home. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').split(/[?]/)[0] ?? '';
  const [first = '', ...rest] = path.split('/').filter((segment) => segment !== '');
  const tab = TABS.find((candidate) => candidate === first);
  if (tab === undefined) return { tab: 'home', rest: [] };
  const decoded = rest.slice(0, MAX_SEGMENTS).map(decode);
  if (decoded.some((segment) => segment === null)) return { tab, rest: [] };
  return { tab, rest: decoded as string[] };
}

export function hrefOf(tab: Tab, ...rest: string[]): string {
  return `#/${[tab, ...rest.map((segment) => encodeURIComponent(segment))].join('/')}`;
}
