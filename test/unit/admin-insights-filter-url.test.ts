import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InsightFilter, InsightListQuery } from '../../src/contract/api/insights.ts';
import { FOLLOW_UP_STATUSES } from '../../src/contract/reporting.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../src/contract/taxonomy.ts';
import {
  FILTER_KEYS,
  filterQueryString,
  filterToParams,
  INSIGHTS_PATH,
  insightHref,
  insightsHref,
  isEmptyFilter,
  paramsToFilter,
  paramsToSort,
  sameFilter,
  toUrlFilter,
  type UrlFilter,
} from '../../src/web/admin/features/insights/filterUrl.ts';

const EVENT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const SESSION = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const PERSON = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** Any valid filter, as a drill-down or a saved view would hold it (values the server accepts). */
const validFilter = fc.record(
  {
    q: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
    type: fc.constantFrom(...INSIGHT_TYPES.map((t) => t.id)),
    sentiment: fc.constantFrom(...SENTIMENTS.map((t) => t.id)),
    priority: fc.constantFrom(...PRIORITIES.map((t) => t.id)),
    productArea: fc.constantFrom(...PRODUCT_AREAS.map((t) => t.id)),
    eventId: fc.constant(EVENT),
    sessionId: fc.constant(SESSION),
    authorId: fc.uuid({ version: 4 }),
    team: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
    tags: fc
      .uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 5 })
      .map((tags) => tags.join(',')),
    source: fc.constantFrom('capture' as const, 'voice' as const, 'seed' as const),
    followUp: fc.constantFrom('true' as const, 'false' as const),
    followUpStatus: fc.constantFrom(...FOLLOW_UP_STATUSES),
    followUpOwnerId: fc.uuid({ version: 4 }),
    from: fc.constant('2026-01-01'),
    to: fc.constant('2026-03-31'),
  },
  { requiredKeys: [] },
);

describe('insight filter <-> URL', () => {
  it('round-trips every valid filter through the query string, and the API reads the same filter', () => {
    fc.assert(
      fc.property(validFilter, (filter) => {
        const query = filterQueryString(filter);
        const back = paramsToFilter(query);
        expect(back).toEqual(toUrlFilter(filter));
        // What the list request sends parses, with the same meaning, as the server's filter and list query.
        const server = InsightFilter.parse(Object.fromEntries(new URLSearchParams(query)));
        const direct = InsightFilter.parse(toUrlFilter(filter));
        expect(server).toEqual(direct);
        expect(InsightListQuery.safeParse({ ...back, limit: '25' }).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('builds drill-down links on /admin/insights, with no query when nothing is filtered', () => {
    expect(insightsHref({})).toBe(INSIGHTS_PATH);
    expect(insightsHref({ type: 'bug_report', priority: 'critical' })).toBe(
      '/admin/insights?type=bug_report&priority=critical',
    );
    expect(insightsHref({ q: 'change streams "resume token"' })).toBe(
      '/admin/insights?q=change+streams+%22resume+token%22',
    );
    // Booleans and tag lists travel as the API reads them.
    expect(insightsHref({ followUp: true as unknown as 'true', tags: 'a, b ,,c' })).toBe(
      '/admin/insights?tags=a%2Cb%2Cc&followUp=true',
    );
  });

  it('keeps the filter (and sort) on the detail drawer link', () => {
    expect(insightHref(PERSON)).toBe(`/admin/insights/${PERSON}`);
    expect(insightHref(PERSON, { sentiment: 'negative' }, 'oldest')).toBe(
      `/admin/insights/${PERSON}?sentiment=negative&sort=oldest`,
    );
  });

  it('drops unknown parameters, blank values and whitespace; only known sorts are read', () => {
    const filter = paramsToFilter('?type=praise&bogus=1&q=%20%20&team=%20Amer%20&tags=&limit=5&sort=newest');
    expect(filter).toEqual({ type: 'praise', team: 'Amer' });
    expect(paramsToSort('sort=oldest')).toBe('oldest');
    expect(paramsToSort('sort=random')).toBeUndefined();
    expect(paramsToSort('')).toBeUndefined();
    expect(filterToParams({ type: 'praise' }, 'relevance').toString()).toBe('type=praise&sort=relevance');
  });

  it('compares filters by meaning, not by key order or formatting', () => {
    const a: UrlFilter = { tags: 'x,y', type: 'praise' };
    expect(sameFilter(a, { type: 'praise', tags: ' x , y ' })).toBe(true);
    expect(sameFilter(a, { type: 'praise' })).toBe(false);
    expect(isEmptyFilter({})).toBe(true);
    expect(isEmptyFilter({ q: '  ' } as UrlFilter)).toBe(true);
    expect(isEmptyFilter({ from: '2026-01-01' })).toBe(false);
  });

  it('names exactly the fields of the server filter, so a new filter field cannot be forgotten here', () => {
    expect([...FILTER_KEYS].sort()).toEqual(Object.keys(InsightFilter.shape).sort());
  });
});
