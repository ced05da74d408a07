import { Button } from '@leafygreen-ui/button';
import { Card } from '@leafygreen-ui/card';
import { Body, H1 } from '@leafygreen-ui/typography';
import { useState } from 'react';
import type { Me } from '../../../../contract/api/me.ts';
import { atLeast } from '../../../../contract/roles.ts';
import { LoadMore } from '../../components/LoadMore.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { DateField } from '../insights/fields.tsx';
import { useDuplicatePairs } from '../insights/reviewQueries.ts';
import { PairCard } from './PairCard.tsx';
import '../insights/insights.css';
import '../insights/drawer.css';
import './duplicates.css';

/** /admin/duplicates: near-duplicate pairs proposed by the server, decided one by one (managers, admins). */
export function DuplicatesPage({ me }: { me: Me }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const range = { ...(from !== '' && { from }), ...(to !== '' && { to }) };
  const pairs = useDuplicatePairs(range);
  const items = pairs.data?.pages.flatMap((page) => page.pairs) ?? [];
  const custom = from !== '' || to !== '';
  return (
    <main className="admin-main">
      <div className="page-head">
        <H1>Duplicates</H1>
      </div>
      <Body>
        Insights that say nearly the same thing, most similar first. Merging keeps one as the primary: the
        duplicate stops counting on its own (every list, report and export counts it once, as the primary) and
        its reactions and notes stay with it. A merge can be undone from the primary's detail.
      </Body>
      <div className="pair-range">
        <DateField label="Newer insight captured from" value={from} onChange={(v) => setFrom(v ?? '')} />
        <DateField label="to" value={to} onChange={(v) => setTo(v ?? '')} />
        <Body as="span" className="muted">
          {custom ? 'Custom period (at most 92 days)' : 'Default: the last 30 days'}
        </Body>
        {custom && (
          <Button
            size="small"
            onClick={() => {
              setFrom('');
              setTo('');
            }}
          >
            Last 30 days
          </Button>
        )}
      </div>
      {pairs.isPending && <Body aria-live="polite">Loading…</Body>}
      {pairs.isError && <ProblemNotice error={pairs.error} what="Couldn't load duplicates" />}
      {pairs.isSuccess && items.length === 0 && (
        <Card className="empty" data-testid="duplicates-empty">
          <Body weight="medium">No likely duplicates in this period.</Body>
        </Card>
      )}
      <div className="pairs">
        {items.map((pair) => (
          <PairCard key={`${pair.a.id}:${pair.b.id}`} pair={pair} canReview={atLeast(me.role, 'manager')} />
        ))}
      </div>
      <LoadMore pages={pairs} />
    </main>
  );
}
