import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import { errorMessage } from '../../../ui/api.ts';
import { pageInfo, subPath, usePathname } from '../../nav.ts';
import { PeopleFilterBar } from './PeopleFilterBar.tsx';
import { PeopleTable } from './PeopleTable.tsx';
import { PersonDetailPage } from './PersonDetailPage.tsx';
import { type PeopleFilters, usePeople } from './peopleQueries.ts';
import '../../access.css';

/** People (/admin/people): everyone in your scope with effective access and why; /admin/people/<id>: one. */
export function PeoplePage() {
  const pathname = usePathname();
  const personId = subPath(pathname, pageInfo('people'));
  if (personId !== null) return <PersonDetailPage key={personId} id={personId} />;
  return <PeopleList />;
}

function PeopleList() {
  const [filters, setFilters] = useState<PeopleFilters>({});
  const pages = usePeople(filters);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const version = pages.data?.pages[0]?.ruleSetVersion;

  return (
    <main className="admin-main">
      <H1>People</H1>
      <Body>
        Everyone you may see, with the role and reporting scope they have now and the entitlements behind it:
        which rule matched which facts, or which exception applies.
        {version === undefined ? '' : ` Evaluated with entitlement rules version ${version}.`}
      </Body>
      <PeopleFilterBar onChange={setFilters} />
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && <Banner variant="danger">Couldn't load people: {errorMessage(pages.error)}</Banner>}
      {pages.isSuccess && items.length === 0 && <Body className="empty">Nobody matches these filters.</Body>}
      {items.length > 0 && (
        <div className={pages.isPlaceholderData ? 'is-refreshing' : undefined}>
          <PeopleTable items={items} />
        </div>
      )}
      {items.length > 0 && (
        <div className="insights__footer">
          <Body>
            Showing {items.length} {items.length === 1 ? 'person' : 'people'}
            {pages.hasNextPage ? '; there are more.' : '.'}
          </Body>
          {pages.hasNextPage && (
            <Button
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
              isLoading={pages.isFetchingNextPage}
            >
              Load more
            </Button>
          )}
        </div>
      )}
    </main>
  );
}
