import type { InsightFilterInput } from '../../../../contract/api/insights.ts';
import { INSIGHT_SORTS, type InsightSort } from '../../../../contract/reporting.ts';

/**
 * The insight filter in the URL: one query parameter per filter field, named as in the API
 * (InsightFilterShape), so a link, a saved view, a dashboard drill-down and the list request all speak the
 * same language. No zod here: this module is imported by the dashboard chunk and must stay small. The server
 * validates the values; unknown parameters are dropped.
 */

export const INSIGHTS_PATH = '/admin/insights';

/** Every filter field, in the order they appear in a URL. */
export const FILTER_KEYS = [
  'q',
  'type',
  'sentiment',
  'priority',
  'productArea',
  'eventId',
  'sessionId',
  'authorId',
  'team',
  'tags',
  'source',
  'followUp',
  'followUpStatus',
  'followUpOwnerId',
  'from',
  'to',
] as const satisfies readonly (keyof InsightFilterInput)[];
export type FilterKey = (typeof FILTER_KEYS)[number];

/** The filter with every value as it travels in a URL (tags "a,b", followUp "true"/"false"). */
export type UrlFilter = Partial<Record<FilterKey, string>>;

function tagsText(tags: unknown): string {
  if (Array.isArray(tags))
    return tags
      .map((t) => String(t).trim())
      .filter(Boolean)
      .join(',');
  return typeof tags === 'string' ? tags : '';
}

/** Normalises a filter to its URL form: strings trimmed, empties dropped, tags joined, booleans as text. */
export function toUrlFilter(filter: InsightFilterInput | UrlFilter): UrlFilter {
  const out: UrlFilter = {};
  const source = filter as Record<string, unknown>;
  for (const key of FILTER_KEYS) {
    const value = source[key];
    if (value === undefined || value === null) continue;
    let text: string;
    if (key === 'tags') {
      text = tagsText(value)
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
        .join(',');
    } else if (typeof value === 'boolean') {
      text = value ? 'true' : 'false';
    } else {
      text = String(value).trim();
    }
    if (text !== '') out[key] = text;
  }
  return out;
}

/** URLSearchParams for a filter (and optionally a sort), keys in FILTER_KEYS order. */
export function filterToParams(filter: InsightFilterInput | UrlFilter, sort?: InsightSort): URLSearchParams {
  const params = new URLSearchParams();
  const normal = toUrlFilter(filter);
  for (const key of FILTER_KEYS) {
    const value = normal[key];
    if (value !== undefined) params.set(key, value);
  }
  if (sort !== undefined) params.set('sort', sort);
  return params;
}

/** The filter a query string holds (unknown keys and empty values dropped). */
export function paramsToFilter(params: URLSearchParams | string): UrlFilter {
  const search = typeof params === 'string' ? new URLSearchParams(params) : params;
  const raw: UrlFilter = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value !== null) raw[key] = value;
  }
  return toUrlFilter(raw);
}

/** The sort a query string asks for, when it names a known one. */
export function paramsToSort(params: URLSearchParams | string): InsightSort | undefined {
  const search = typeof params === 'string' ? new URLSearchParams(params) : params;
  const sort = search.get('sort');
  return (INSIGHT_SORTS as readonly string[]).includes(sort ?? '') ? (sort as InsightSort) : undefined;
}

/** The query string (without "?") for a filter; '' when nothing is filtered. */
export function filterQueryString(filter: InsightFilterInput | UrlFilter, sort?: InsightSort): string {
  return filterToParams(filter, sort).toString();
}

/** The Insights page showing this filter: drill-down links (dashboard, reports) use this. */
export function insightsHref(filter: InsightFilterInput): string {
  const query = filterQueryString(filter);
  return query === '' ? INSIGHTS_PATH : `${INSIGHTS_PATH}?${query}`;
}

/** The detail drawer of one insight, keeping the list's filter in the query string. */
export function insightHref(
  id: string,
  filter: InsightFilterInput | UrlFilter = {},
  sort?: InsightSort,
): string {
  const query = filterQueryString(filter, sort);
  const path = `${INSIGHTS_PATH}/${encodeURIComponent(id)}`;
  return query === '' ? path : `${path}?${query}`;
}

/** Whether two filters mean the same (same fields, same values after normalising). */
export function sameFilter(a: InsightFilterInput | UrlFilter, b: InsightFilterInput | UrlFilter): boolean {
  return filterQueryString(a) === filterQueryString(b);
}

export function isEmptyFilter(filter: InsightFilterInput | UrlFilter): boolean {
  return filterQueryString(filter) === '';
}
