import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useMemo } from 'react';
import type { Me } from '../../../../contract/api/me.ts';
import { atLeast } from '../../../../contract/roles.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate, useSearch } from '../../nav.ts';
import { EventFilters } from './EventFilters.tsx';
import { EventCards, EventTable } from './EventViews.tsx';
import { isFiltered, type ListFilter, listHref, NEW_EVENT_PATH, parseListFilter } from './listUrl.ts';
import { useEventPages } from './queries.ts';

/** /admin/events: the program office's calendar — filters, table or cards, paging. */
export function EventList({ me }: { me: Me }) {
  const search = useSearch();
  const filter = useMemo(() => parseListFilter(search), [search]);
  const pages = useEventPages(filter);
  const items = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const manager = atLeast(me.role, 'manager');
  const cards = filter.view === 'cards';
  const setFilter = (next: ListFilter) => navigate(listHref(next));
  const setView = (view: 'table' | 'cards') => {
    const next = { ...filter };
    if (view === 'cards') next.view = 'cards';
    else delete next.view;
    setFilter(next);
  };

  return (
    <main className="admin-main ev-page">
      <div className="page-head">
        <H1>Events</H1>
        {manager && (
          <div className="ev-actions">
            <AppLink to="/admin/imports" className="ev-button-link">
              Import from spreadsheet
            </AppLink>
            <AppLink to={NEW_EVENT_PATH} className="ev-button-link ev-button-link--primary">
              New event
            </AppLink>
          </div>
        )}
      </div>
      <EventFilters filter={filter} onChange={setFilter} canManage={manager} />
      <fieldset className="ev-view-toggle">
        <legend className="visually-hidden">Show events as</legend>
        <Button
          size="small"
          aria-pressed={!cards}
          variant={cards ? 'default' : 'primaryOutline'}
          onClick={() => setView('table')}
        >
          Table
        </Button>
        <Button
          size="small"
          aria-pressed={cards}
          variant={cards ? 'primaryOutline' : 'default'}
          onClick={() => setView('cards')}
        >
          Cards
        </Button>
      </fieldset>

      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && !pages.isFetchNextPageError && (
        <div className="ev-error">
          <ProblemNotice error={pages.error} what="Couldn't load events" />
          <Button size="small" onClick={() => void pages.refetch()}>
            Try again
          </Button>
        </div>
      )}
      {pages.isSuccess && items.length === 0 && (
        <Card className="empty" data-testid="events-empty">
          <Body weight="medium">
            {isFiltered(filter) ? 'No events match these filters.' : 'No events yet.'}
          </Body>
        </Card>
      )}
      {items.length > 0 && (
        <div className={pages.isPlaceholderData ? 'is-refreshing' : undefined}>
          {cards ? <EventCards items={items} /> : <EventTable items={items} />}
          <div className="insights__footer">
            <Body as="p" data-testid="events-count" aria-live="polite">
              {pages.hasNextPage ? `Showing ${items.length} — more available` : `Showing all ${items.length}`}
            </Body>
            <LoadMore pages={pages} />
          </div>
          {pages.isFetchNextPageError && (
            <ProblemNotice error={pages.error} what="Couldn't load more events" />
          )}
        </div>
      )}
    </main>
  );
}
