import { dateTime, relativeTime, truncate } from '../../ui/format.ts';
import { hrefOf } from '../lib/routes.ts';
import { RETENTION } from '../offline/retention.ts';
import type { Draft } from '../offline/types.ts';

const REASON: Record<Draft['reason'], string> = {
  no_provider: 'no transcription available',
  transcription_failed: "transcription didn't work",
  offline: 'recorded offline',
};

const seconds = (value: number) =>
  `${Math.floor(value / 60)}:${String(Math.round(value % 60)).padStart(2, '0')}`;

/** Voice captures waiting for their text; each opens on the Capture tab with its recording. */
export function DraftList({
  drafts,
  title,
  headingLevel = 2,
}: {
  drafts: Draft[];
  title: string;
  headingLevel?: 2 | 3;
}) {
  if (drafts.length === 0) return null;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="drafts" aria-labelledby="drafts-heading" data-testid="drafts">
      <Heading id="drafts-heading">
        {title} ({drafts.length})
      </Heading>
      <p className="note">
        Drafts are deleted from this device {RETENTION.draftMaxAgeMs / 86_400_000} days after their last
        change, and when you sign out.
      </p>
      <ul className="list">
        {drafts.map((draft) => (
          <li key={draft.id}>
            <a className="list__item list__item--link" href={hrefOf('capture', 'draft', draft.id)}>
              <span className="list__title">
                🎙 Recording {seconds(draft.durationSeconds)}
                {draft.fields.text ? ` — ${truncate(draft.fields.text, 60)}` : ''}
              </span>
              <span className="list__meta">
                <time dateTime={draft.capturedAt} title={dateTime(draft.capturedAt)}>
                  {relativeTime(draft.capturedAt)}
                </time>{' '}
                · {REASON[draft.reason]}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
