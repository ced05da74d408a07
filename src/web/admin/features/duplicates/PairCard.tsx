import { Button } from '@leafygreen-ui/button';
import type { Insight } from '../../../../contract/api/insights.ts';
import type { DuplicatePair } from '../../../../contract/api/review.ts';
import { similarityPercent } from '../../../../contract/reporting.ts';
import { INSIGHT_TYPES, labelOf, PRIORITIES, SENTIMENTS } from '../../../../contract/taxonomy.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { insightHref } from '../insights/filterUrl.ts';
import { useDismissPair, useMerge } from '../insights/reviewQueries.ts';

function Side({ insight, label }: { insight: Insight; label: string }) {
  return (
    <section className="pair__side" aria-label={label}>
      <AppLink to={insightHref(insight.id)}>
        <strong>{insight.title ?? label}</strong>
      </AppLink>
      <p>{insight.text}</p>
      <span className="muted">
        {insight.author.name} · {dateTime(insight.capturedAt)}
        {insight.event !== null && ` · ${insight.event.name}`}
      </span>
      <span className="muted">
        {labelOf(INSIGHT_TYPES, insight.type)} · {labelOf(SENTIMENTS, insight.sentiment)} ·{' '}
        {labelOf(PRIORITIES, insight.priority)}
        {insight.mergedCount > 0 && ` · ${insight.mergedCount} already merged into it`}
      </span>
    </section>
  );
}

/** One proposed pair side by side: merge (choosing which one stays) or "not a duplicate". */
export function PairCard({ pair, canReview }: { pair: DuplicatePair; canReview: boolean }) {
  const merge = useMerge();
  const dismiss = useDismissPair();
  const busy = merge.isPending || dismiss.isPending;
  return (
    <article
      className="pair"
      data-testid="duplicate-pair"
      aria-label={`Possible duplicates, ${similarityPercent(pair.similarity)} % similar`}
    >
      <p className="dup-why">
        <strong>{similarityPercent(pair.similarity)} % similar</strong>
        {pair.reasons.length > 0 && ` · ${pair.reasons.join(' · ')}`}
      </p>
      <div className="pair__sides">
        <Side insight={pair.a} label="Older insight" />
        <Side insight={pair.b} label="Newer insight" />
      </div>
      {canReview && (
        <div className="row-actions">
          <Button
            size="small"
            variant="primary"
            disabled={busy}
            onClick={() => merge.mutate({ primaryId: pair.a.id, duplicateIds: [pair.b.id] })}
          >
            Merge, keep the older
          </Button>
          <Button
            size="small"
            disabled={busy}
            onClick={() => merge.mutate({ primaryId: pair.b.id, duplicateIds: [pair.a.id] })}
          >
            Merge, keep the newer
          </Button>
          <Button size="small" disabled={busy} onClick={() => dismiss.mutate({ a: pair.a.id, b: pair.b.id })}>
            Not a duplicate
          </Button>
        </div>
      )}
      <ProblemNotice error={merge.error ?? dismiss.error} what="Couldn't decide this pair" />
    </article>
  );
}
