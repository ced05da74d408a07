import { Button } from '@leafygreen-ui/button';

/** What LoadMore needs of a TanStack infinite query. */
interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** "Load more" under a cursor-paged list: shown while the server has more, disabled while a page loads. */
export function LoadMore({ pages, size }: { pages: Pages; size?: 'small' }) {
  if (!pages.hasNextPage) return null;
  return (
    <div>
      <Button
        size={size ?? 'default'}
        onClick={() => void pages.fetchNextPage()}
        disabled={pages.isFetchingNextPage}
        isLoading={pages.isFetchingNextPage}
        loadingText="Loading…"
      >
        Load more
      </Button>
    </div>
  );
}
