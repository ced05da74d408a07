/**
 * The audit search's filters in the URL, named as the API names them (AuditEventQuery), so a search is a
 * shareable link and back and forward work. `from` and `to` are UTC days here (YYYY-MM-DD, both included);
 * apiQuery turns them into the API's instants. The server validates everything; unknown keys are dropped.
 */
export const AUDIT_PATH = '/admin/audit';

export const FILTER_KEYS = [
  'actor',
  'action',
  'outcome',
  'targetType',
  'targetId',
  'from',
  'to',
  'breakGlass',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type AuditFilter = Partial<Record<FilterKey, string>>;

export function parseFilter(search: string): AuditFilter {
  const params = new URLSearchParams(search);
  const out: AuditFilter = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value !== undefined && value !== '') out[key] = value;
  }
  if (out.breakGlass !== 'true') delete out.breakGlass;
  return out;
}

export function filterHref(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const query = params.toString();
  return query === '' ? AUDIT_PATH : `${AUDIT_PATH}?${query}`;
}

export const isFiltered = (filter: AuditFilter) => FILTER_KEYS.some((key) => filter[key] !== undefined);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The day after a YYYY-MM-DD (the exclusive end of an inclusive "to" day); anything else as it is. */
function dayAfter(day: string): string {
  const next = new Date(`${day}T00:00:00.000Z`);
  if (!DAY.test(day) || Number.isNaN(next.getTime())) return day;
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

/** The API query of a URL filter (days → instants; a malformed value goes as it is and the server names it). */
export function apiQuery(filter: AuditFilter): Record<string, string | undefined> {
  return {
    ...filter,
    from: filter.from && DAY.test(filter.from) ? `${filter.from}T00:00:00.000Z` : filter.from,
    to: filter.to ? dayAfter(filter.to) : undefined,
  };
}

/** The family prefix ("auth.") of an action filter, exact or prefix. */
export function familyOfFilter(action: string | undefined): string | undefined {
  if (action === undefined) return undefined;
  return `${action.split('.', 1)[0]}.`;
}

export const personHistoryHref = (id: string) => `${AUDIT_PATH}/people/${encodeURIComponent(id)}`;
