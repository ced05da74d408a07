import type { Impact, ImpactItem } from '../../../contract/api/social.ts';
import { REACTION_TEXT } from '../../../contract/capture.ts';
import { INSIGHT_TYPES, labelOf } from '../../../contract/taxonomy.ts';
import { dateTime, relativeTime, truncate } from '../../ui/format.ts';
import { ConflictBanner } from '../components/ConflictBanner.tsx';
import { hrefOf } from '../lib/routes.ts';
import type { EditItem } from '../offline/types.ts';
import type { Remote } from '../useRemote.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

interface ImpactScreenProps {
  impact: Remote<Impact>;
  conflicts: EditItem[];
  online: boolean;
}

function Reactions({ item }: { item: ImpactItem }) {
  const given = item.reactions.filter((reaction) => reaction.count > 0);
  if (given.length === 0 && item.noteCount === 0) return null;
  return (
    <span className="impact-item__activity">
      {given.map((reaction) => (
        <span key={reaction.reaction} title={REACTION_TEXT[reaction.reaction].label}>
          {REACTION_TEXT[reaction.reaction].emoji} {reaction.count}
        </span>
      ))}
      {item.noteCount > 0 && <span>💬 {item.noteCount}</span>}
    </span>
  );
}

/** My numbers and my recent insights with what the team said about them. */
export function ImpactScreen({ impact, conflicts, online }: ImpactScreenProps) {
  const value = impact.value;
  const stats = value?.stats;
  const numbers: [string, number | undefined][] = [
    ['Today', stats?.today],
    ['7 days', stats?.last7Days],
    ['30 days', stats?.last30Days],
    ['Total', stats?.total],
    ['Reactions received', stats?.reactionsReceived],
    ['Notes received', stats?.notesReceived],
    ['Follow-ups', stats?.followUps],
  ];
  return (
    <>
      <ScreenTitle>Impact</ScreenTitle>
      <ConflictBanner conflicts={conflicts} tab="impact" />
      {impact.error !== null && (
        <p className="note" role="status">
          {value !== null
            ? `${online ? "Couldn't refresh" : "You're offline"} — showing your numbers from ${dateTime(value.generatedAt)}.`
            : `Your impact isn't available right now: ${impact.error}`}
        </p>
      )}
      {value === null && impact.loading && <p className="note">Loading…</p>}
      {stats !== undefined && (
        <section className="stats" aria-label="Your numbers" data-testid="impact-stats">
          {numbers.map(([label, number]) => (
            <div key={label} className="stat">
              <span className="stat__value">{number ?? 0}</span>
              <span className="stat__label">{label}</span>
            </div>
          ))}
        </section>
      )}
      {value !== null && (
        <section aria-labelledby="recent-heading">
          <h2 id="recent-heading">Your recent insights</h2>
          {value.recent.length === 0 && (
            <p className="note">Nothing captured yet. Your saved insights appear here.</p>
          )}
          <ul className="list">
            {value.recent.map((item) => (
              <li key={item.insight.id}>
                <a
                  className="list__item list__item--link impact-item"
                  href={hrefOf('impact', item.insight.id)}
                >
                  <span className="list__meta">
                    <span className="tag">{labelOf(INSIGHT_TYPES, item.insight.type)}</span>{' '}
                    <time dateTime={item.insight.capturedAt} title={dateTime(item.insight.capturedAt)}>
                      {relativeTime(item.insight.capturedAt)}
                    </time>
                  </span>
                  <span className="list__title">{truncate(item.insight.text, 140)}</span>
                  <Reactions item={item} />
                  {item.latestNote !== null && (
                    <span className="impact-item__note">
                      <strong>{item.latestNote.author.name}:</strong> {truncate(item.latestNote.body, 100)}
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
