import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H2 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { errorMessage } from '../../../ui/api.ts';
import { type InsightFilters, useInsightPages } from '../../queries.ts';
import { InsightFilterBar } from './InsightFilterBar.tsx';
import { InsightsTable } from './InsightsTable.tsx';

const hasFilters = (filters: InsightFilters) => Object.values(filters).some((value) => value !== undefined);

/** The insights in scope, filtered on the server and paged with "Load more" until the last page. */
export function InsightsSection() {
  const [filters, setFilters] = useState<InsightFilters>({});
  const pages = useInsightPages(filters);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const more = pages.hasNextPage;

  return (
    <section className="insights" aria-labelledby="insights-heading">
      <H2 id="insights-heading" className="section-title">
        Insights
      </H2>
      <InsightFilterBar filters={filters} onChange={setFilters} />

      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && !pages.isFetchNextPageError && (
        <Banner variant="danger">Couldn't load insights: {errorMessage(pages.error)}</Banner>
      )}

      {pages.isSuccess && items.length === 0 && (
        <Card className="empty" data-testid="insights-empty">
          <Body weight="medium">
            {hasFilters(filters) ? 'No insights match these filters' : 'No insights in your scope yet'}
          </Body>
        </Card>
      )}

      {items.length > 0 && (
        <>
          <InsightsTable items={items} />
          <div className="insights__footer">
            <Body as="p" data-testid="insights-count" aria-live="polite">
              {more ? `Showing ${items.length} — more available` : `Showing all ${items.length}`}
            </Body>
            {more && (
              <Button
                onClick={() => void pages.fetchNextPage()}
                disabled={pages.isFetchingNextPage}
                isLoading={pages.isFetchingNextPage}
                loadingText="Loading…"
              >
                Load more
              </Button>
            )}
          </div>
          {pages.isFetchNextPageError && (
            <Banner variant="danger">Couldn't load more insights: {errorMessage(pages.error)}</Banner>
          )}
        </>
      )}
    </section>
  );
}
