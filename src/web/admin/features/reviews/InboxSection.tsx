import { Banner } from '@leafygreen-ui/banner';
import { Body, H2 } from '@leafygreen-ui/typography';
import type { Me } from '../../../../contract/api/me.ts';
import { errorMessage } from '../../../ui/api.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useInbox } from './queries.ts';
import { ReviewItemsTable } from './ReviewItemsTable.tsx';
import { useDecideWithMessage } from './useDecideWithMessage.ts';

/** Everyone: the entitlements waiting for my decision, across open campaigns. */
export function InboxSection({ me }: { me: Me }) {
  const pages = useInbox();
  const { decide, message, onDecide } = useDecideWithMessage();
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="inbox" className="profile-section" data-testid="review-inbox">
      <H2 id="inbox" className="section-title">
        Waiting for your decision
      </H2>
      <Body>
        Keep what the person still needs; revoke what they don't, saying why. Decisions are final and
        recorded.
      </Body>
      {message !== null && (
        <Banner variant="success" data-testid="decision-done">
          {message}
        </Banner>
      )}
      <ProblemNotice error={decide.error} what="Couldn't record the decision" />
      {pages.isPending && <Body aria-live="polite">Loading…</Body>}
      {pages.isError && (
        <Banner variant="danger">Couldn't load your reviews: {errorMessage(pages.error)}</Banner>
      )}
      {pages.isSuccess && items.length === 0 && <Body className="empty">Nothing to review right now.</Body>}
      {items.length > 0 && (
        <ReviewItemsTable items={items} me={me} show="campaign" busy={decide.isPending} onDecide={onDecide} />
      )}
      <LoadMore pages={pages} />
    </section>
  );
}
