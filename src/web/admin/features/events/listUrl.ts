import type { EVENT_SORTS } from '../../../../contract/api/events.ts';

/**
 * The calendar's filter in the URL: one query parameter per API filter (EventListQuery), named as the API
 * names it, plus `view` (table or cards). A link to a filtered list is shareable and back/forward work. The
 * server validates the values; unknown parameters are dropped here.
 */
export const EVENTS_PATH = '/admin/events';

export const LIST_KEYS = [
  'q',
  'status',
  'region',
  'eventType',
  'quarter',
  'active',
  'assignedTo',
  'manageable',
  'sort',
  'view',
] as const;
export type ListKey = (typeof LIST_KEYS)[number];
export type ListFilter = Partial<Record<ListKey, string>>;

export type EventSort = (typeof EVENT_SORTS)[number];
export const SORT_LABELS: Record<EventSort, string> = {
  starts_desc: 'Start date, newest first',
  starts_asc: 'Start date, oldest first',
  name: 'Name',
};

/** The filter a query string holds (unknown keys and blank values dropped). */
export function parseListFilter(search: string): ListFilter {
  const params = new URLSearchParams(search);
  const out: ListFilter = {};
  for (const key of LIST_KEYS) {
    const value = params.get(key)?.trim();
    if (value !== undefined && value !== '') out[key] = value;
  }
  // The default view and sort stay out of the URL, so "no filter" has exactly one spelling.
  if (out.view !== 'cards') delete out.view;
  if (out.sort === 'starts_desc') delete out.sort;
  return out;
}

/** /admin/events?… for a filter. */
export function listHref(filter: ListFilter): string {
  const params = new URLSearchParams();
  for (const key of LIST_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const query = params.toString();
  return query === '' ? EVENTS_PATH : `${EVENTS_PATH}?${query}`;
}

/** Whether anything narrows the list (the view and sort do not). */
export function isFiltered(filter: ListFilter): boolean {
  return LIST_KEYS.some((key) => key !== 'view' && key !== 'sort' && filter[key] !== undefined);
}

export const eventHref = (id: string) => `${EVENTS_PATH}/${encodeURIComponent(id)}`;
export const editHref = (id: string) => `${eventHref(id)}/edit`;
export const NEW_EVENT_PATH = `${EVENTS_PATH}/new`;
