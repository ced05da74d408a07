import type { Insight } from '../../../contract/api/insights.ts';
import { INSIGHT_TYPES, labelOf, SENTIMENTS } from '../../../contract/taxonomy.ts';
import { dateTime, relativeTime, truncate } from '../../ui/format.ts';

interface RecentInsightsProps {
  items: Insight[];
  loading: boolean;
  error: string | null;
}

/** The person's newest captures: proof the save landed, and a memory aid during a busy booth shift. */
export function RecentInsights({ items, loading, error }: RecentInsightsProps) {
  return (
    <section className="recent" aria-labelledby="recent-heading">
      <h2 id="recent-heading">Your recent insights</h2>
      {loading && items.length === 0 && <p className="recent__note">Loading…</p>}
      {error !== null && <p className="recent__note">Couldn't load your recent insights: {error}</p>}
      {!loading && error === null && items.length === 0 && (
        <p className="recent__note">Nothing captured yet. Your saved insights appear here.</p>
      )}
      {items.length > 0 && (
        <ul className="recent__list">
          {items.map((item) => (
            <li key={item.id} className="recent__item">
              <div className="recent__meta">
                <span className="tag">{labelOf(INSIGHT_TYPES, item.type)}</span>
                <span className={`tag tag--${item.sentiment}`}>{labelOf(SENTIMENTS, item.sentiment)}</span>
                <time dateTime={item.capturedAt} title={dateTime(item.capturedAt)}>
                  {relativeTime(item.capturedAt)}
                </time>
              </div>
              <p className="recent__text">{truncate(item.text, 120)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
