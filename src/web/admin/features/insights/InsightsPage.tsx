import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../../../../contract/api/me.ts';
import { LIMITS } from '../../../../contract/limits.ts';
import type { InsightSort } from '../../../../contract/reporting.ts';
import { atLeast } from '../../../../contract/roles.ts';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate, pageInfo, subPath, usePathname, useSearch } from '../../nav.ts';
import { BulkDialog } from './BulkDialog.tsx';
import { FilterBar } from './FilterBar.tsx';
import {
  filterQueryString,
  INSIGHTS_PATH,
  insightHref,
  isEmptyFilter,
  paramsToFilter,
  paramsToSort,
  type UrlFilter,
} from './filterUrl.ts';
import { InsightDrawer } from './InsightDrawer.tsx';
import { InsightsTable } from './InsightsTable.tsx';
import { MyMentions } from './MyMentions.tsx';
import { useInsightList } from './queries.ts';
import { SavedViews } from './SavedViews.tsx';
import { SearchBar } from './SearchBar.tsx';
import './insights.css';
import { LoadMore } from '../../components/LoadMore.tsx';

/** Relevance needs a search; without one the list is newest first. */
function effectiveSort(filter: UrlFilter, sort: InsightSort | undefined): InsightSort | undefined {
  return sort === 'relevance' && filter.q === undefined ? undefined : sort;
}

function listHref(filter: UrlFilter, sort: InsightSort | undefined): string {
  const query = filterQueryString(filter, effectiveSort(filter, sort));
  return query === '' ? INSIGHTS_PATH : `${INSIGHTS_PATH}?${query}`;
}

/**
 * /admin/insights: the review tool. The URL holds the filter (shareable; back and forward work; dashboard
 * drill-downs land here), /admin/insights/<id> opens the detail drawer over the list.
 */
export function InsightsPage({ me }: { me: Me }) {
  const pathname = usePathname();
  const search = useSearch();
  const openId = subPath(pathname, pageInfo('insights'));
  const filter = useMemo(() => paramsToFilter(search), [search]);
  const sort = effectiveSort(filter, paramsToSort(search));
  const pages = useInsightList(filter, sort);
  const items = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const canBulk = atLeast(me.role, 'manager');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const names = useRef(new Map<string, string>());

  // A new filter is a new list: the selection was of the old one.
  const listKey = filterQueryString(filter, sort);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset exactly when the list changes
  useEffect(() => setSelected(new Set()), [listKey]);

  for (const item of items) {
    names.current.set(item.author.id, item.author.name);
    const owner = item.followUpState?.owner;
    if (owner) names.current.set(owner.id, owner.name);
  }

  const hrefOf = (id: string) => insightHref(id, filter, sort);
  const setFilter = (next: UrlFilter) => navigate(listHref(next, sort));
  const exportHref = `/api/v1/exports/insights.csv${filterQueryString(filter) === '' ? '' : `?${filterQueryString(filter)}`}`;
  const more = pages.hasNextPage;
  const tooMany = selected.size > LIMITS.bulkMax;

  const selection = canBulk
    ? {
        selected,
        toggle: (id: string) =>
          setSelected((old) => {
            const next = new Set(old);
            if (next.has(id)) next.delete(id);
            else next.add(id);
            return next;
          }),
        setPage: (on: boolean) => setSelected(on ? new Set(items.map((i) => i.id)) : new Set()),
      }
    : undefined;

  return (
    <main className="admin-main insights-page">
      <div className="page-head">
        <H1>Insights</H1>
        <a className="button-link" href={exportHref} download data-testid="export-csv">
          Export CSV
        </a>
      </div>
      <SearchBar
        q={filter.q}
        sort={sort}
        onSearch={(q) => {
          const next: UrlFilter = { ...filter, q };
          if (q === undefined) delete next.q;
          navigate(listHref(next, sort));
        }}
        onSort={(next) => navigate(listHref(filter, next))}
      />
      <FilterBar
        filter={filter}
        onChange={setFilter}
        nameOf={(id) => names.current.get(id) ?? null}
        remember={(person) => names.current.set(person.id, person.name)}
        canSearchPeople={atLeast(me.role, 'advocate')}
      />
      <div className="insights-panels">
        <SavedViews filter={filter} canSave />
        <MyMentions />
      </div>

      {canBulk && selected.size > 0 && (
        <section className="bulk-bar" aria-label="Selected insights" data-testid="bulk-bar">
          <Body as="span" weight="medium">
            {selected.size} selected
          </Body>
          <Button size="small" variant="primary" disabled={tooMany} onClick={() => setBulkOpen(true)}>
            Retag or reclassify…
          </Button>
          <Button size="small" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
          {tooMany && <span className="muted">At most {LIMITS.bulkMax} at once.</span>}
        </section>
      )}

      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && !pages.isFetchNextPageError && (
        <div className="list-error">
          <ProblemNotice error={pages.error} what="Couldn't load insights" />
          <Button size="small" onClick={() => void pages.refetch()}>
            Try again
          </Button>
        </div>
      )}
      {pages.isSuccess && items.length === 0 && (
        <Card className="empty" data-testid="insights-empty">
          <Body weight="medium">
            {isEmptyFilter(filter) ? 'No insights in your scope yet.' : 'No insights match these filters.'}
          </Body>
          {!isEmptyFilter(filter) && (
            <Button size="small" onClick={() => setFilter({})}>
              Clear filters
            </Button>
          )}
        </Card>
      )}

      {items.length > 0 && (
        <div className={pages.isFetching && !pages.isFetchingNextPage ? 'is-refreshing' : undefined}>
          <InsightsTable
            items={items}
            hrefOf={hrefOf}
            onOpen={(id) => navigate(hrefOf(id))}
            selection={selection}
          />
          <div className="insights__footer">
            <Body as="p" data-testid="insights-count" aria-live="polite">
              {more ? `Showing ${items.length} — more available` : `Showing all ${items.length}`}
            </Body>
            <LoadMore pages={pages} />
          </div>
          {pages.isFetchNextPageError && (
            <ProblemNotice error={pages.error} what="Couldn't load more insights" />
          )}
        </div>
      )}

      {bulkOpen && (
        <BulkDialog
          ids={[...selected]}
          onClose={(changed) => {
            setBulkOpen(false);
            if (changed) setSelected(new Set());
          }}
        />
      )}
      {openId !== null && (
        <InsightDrawer id={openId} me={me} hrefOf={hrefOf} onClose={() => navigate(listHref(filter, sort))} />
      )}
    </main>
  );
}
