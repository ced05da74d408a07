import { Button } from '@leafygreen-ui/button';
import { useState } from 'react';
import type { Insight } from '../../../../contract/api/insights.ts';
import { similarityPercent } from '../../../../contract/reporting.ts';
import { INSIGHT_TYPES, labelOf } from '../../../../contract/taxonomy.ts';
import { dateTime, truncate } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { useDismissPair, useDuplicatesOf, useMerge, useMerges, useUnmerge } from './reviewQueries.ts';

const percent = (similarity: number) => `${similarityPercent(similarity)} %`;

function Brief({ insight, hrefOf }: { insight: Insight; hrefOf: (id: string) => string }) {
  return (
    <span className="dup-brief">
      <AppLink to={hrefOf(insight.id)}>{insight.title ?? truncate(insight.text, 80)}</AppLink>
      <span className="muted">
        {' '}
        · {insight.author.name} · {labelOf(INSIGHT_TYPES, insight.type)} · {dateTime(insight.capturedAt)}
      </span>
      {insight.title !== null && <span className="dup-brief__text">{truncate(insight.text, 200)}</span>}
    </span>
  );
}

/** Insights that look like this one; managers and admins merge them into it or dismiss the pair. */
export function PossibleDuplicates(props: {
  insight: Insight;
  canMerge: boolean;
  hrefOf: (id: string) => string;
}) {
  const { insight, canMerge, hrefOf } = props;
  const candidates = useDuplicatesOf(insight.id, insight.mergedInto === null);
  const merge = useMerge();
  const dismiss = useDismissPair();
  const [chosen, setChosen] = useState<string[]>([]);
  if (insight.mergedInto !== null) return null;
  const items = candidates.data?.candidates ?? [];
  return (
    <section className="drawer__section" aria-labelledby="dups-heading" data-testid="possible-duplicates">
      <h3 id="dups-heading">Possible duplicates</h3>
      {candidates.isPending && <p className="muted">Looking for similar insights…</p>}
      <ProblemNotice error={candidates.error} what="Couldn't look for duplicates" />
      {candidates.isSuccess && items.length === 0 && <p className="muted">Nothing similar found.</p>}
      {items.length > 0 && (
        <ul className="dup-list">
          {items.map((candidate) => (
            <li key={candidate.insight.id} className="dup-item" data-testid="duplicate-candidate">
              {canMerge && (
                <label className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(candidate.insight.id)}
                    onChange={(event) =>
                      setChosen((list) =>
                        event.target.checked
                          ? [...list, candidate.insight.id]
                          : list.filter((id) => id !== candidate.insight.id),
                      )
                    }
                  />
                  <span className="visually-hidden">Merge into this insight:</span>
                </label>
              )}
              <div>
                <Brief insight={candidate.insight} hrefOf={hrefOf} />
                <p className="dup-why">
                  <strong>{percent(candidate.similarity)} similar</strong>
                  {candidate.reasons.length > 0 && ` · ${candidate.reasons.join(' · ')}`}
                </p>
                {canMerge && (
                  <Button
                    size="xsmall"
                    disabled={dismiss.isPending}
                    onClick={() => dismiss.mutate({ a: insight.id, b: candidate.insight.id })}
                  >
                    Not a duplicate
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {canMerge && items.length > 0 && (
        <Button
          size="small"
          variant="primary"
          disabled={chosen.length === 0 || merge.isPending}
          onClick={() =>
            merge.mutate({ primaryId: insight.id, duplicateIds: chosen }, { onSuccess: () => setChosen([]) })
          }
        >
          Merge {chosen.length === 0 ? 'selected' : chosen.length} into this insight
        </Button>
      )}
      <ProblemNotice error={merge.error ?? dismiss.error} what="Couldn't change duplicates" />
    </section>
  );
}

/** Duplicates merged into this insight (they count once, as this one); managers and admins can unmerge. */
export function MergedDuplicates(props: {
  insight: Insight;
  canMerge: boolean;
  hrefOf: (id: string) => string;
}) {
  const { insight, canMerge, hrefOf } = props;
  const merges = useMerges(insight.id, insight.mergedCount > 0);
  const unmerge = useUnmerge();
  if (insight.mergedCount === 0) return null;
  const items = merges.data?.merged ?? [];
  return (
    <section className="drawer__section" aria-labelledby="merged-heading" data-testid="merged-duplicates">
      <h3 id="merged-heading">Merged duplicates ({insight.mergedCount})</h3>
      <ProblemNotice error={merges.error} what="Couldn't load merged duplicates" />
      <ul className="dup-list">
        {items.map((merged) => (
          <li key={merged.mergeId} className="dup-item">
            <div>
              <Brief insight={merged.insight} hrefOf={hrefOf} />
              <p className="dup-why muted">
                Merged by {merged.mergedBy.name} on {dateTime(merged.mergedAt)}
                {merged.similarity !== null && ` · ${percent(merged.similarity)} similar`}
              </p>
              {canMerge && (
                <Button
                  size="xsmall"
                  disabled={unmerge.isPending}
                  onClick={() => unmerge.mutate(merged.insight.id)}
                >
                  Unmerge
                </Button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <ProblemNotice error={unmerge.error} what="Couldn't unmerge" />
    </section>
  );
}
