import type { AttachmentList } from '../../../contract/api/capture.ts';
import type { Insight } from '../../../contract/api/insights.ts';
import type { InsightActivity } from '../../../contract/api/social.ts';
import { REACTION_TEXT } from '../../../contract/capture.ts';
import { INSIGHT_TYPES, labelOf, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../../contract/taxonomy.ts';
import { dateTime } from '../../ui/format.ts';
import { type EditChanges, editValues } from '../lib/edits.ts';
import { hrefOf } from '../lib/routes.ts';
import type { EditItem } from '../offline/types.ts';
import { useFetch } from '../useFetch.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

interface InsightDetailProps {
  insight: Insight;
  /** My edit of it still on the device (waiting, refused or in conflict). */
  pendingEdit: EditItem | null;
  canEdit: boolean;
  /** Changes after each sync, so reactions and notes are fetched again. */
  refreshKey: unknown;
}

function Attachments({ insightId, refreshKey }: { insightId: string; refreshKey: unknown }) {
  const list = useFetch<AttachmentList>(`/api/v1/insights/${insightId}/attachments`, refreshKey);
  if (list.error !== null)
    return <p className="note">Photos and recordings can't be shown right now: {list.error}</p>;
  const items = list.value?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">Photos and recordings</h2>
      <ul className="attachments">
        {items.map((item, index) => (
          <li key={item.id}>
            {item.kind === 'photo' ? (
              <a href={item.url} target="_blank" rel="noreferrer">
                <img
                  src={item.url}
                  alt={`Attachment ${index + 1}`}
                  className="attachments__photo"
                  loading="lazy"
                />
              </a>
            ) : (
              // biome-ignore lint/a11y/useMediaCaption: a field recording; the insight text is its transcript
              <audio controls src={item.url} preload="none" aria-label={`Recording ${index + 1}`} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Activity({ insightId, refreshKey }: { insightId: string; refreshKey: unknown }) {
  const activity = useFetch<InsightActivity>(`/api/v1/insights/${insightId}/activity`, refreshKey);
  if (activity.error !== null)
    return <p className="note">Reactions and team notes can't be shown right now: {activity.error}</p>;
  if (activity.value === null)
    return activity.loading ? <p className="note">Loading reactions and notes…</p> : null;
  const reactions = activity.value.reactions.filter((reaction) => reaction.count > 0);
  return (
    <>
      <section aria-labelledby="reactions-heading">
        <h2 id="reactions-heading">Reactions</h2>
        {reactions.length === 0 ? (
          <p className="note">No reactions yet.</p>
        ) : (
          <ul className="reactions">
            {reactions.map((reaction) => (
              <li key={reaction.reaction} className="reactions__item">
                {REACTION_TEXT[reaction.reaction].emoji} {REACTION_TEXT[reaction.reaction].label}{' '}
                <strong>{reaction.count}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">Team notes</h2>
        {activity.value.notes.length === 0 ? (
          <p className="note">No notes yet.</p>
        ) : (
          <ul className="notes">
            {activity.value.notes.map((note) => (
              <li
                key={note.id}
                className={`notes__item${note.parentId !== null ? ' notes__item--reply' : ''}`}
              >
                <p className="notes__meta">
                  <strong>{note.author.name}</strong> · {dateTime(note.createdAt)}
                </p>
                <p className="notes__body">{note.body}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

const EDIT_STATE: Record<EditItem['state'], string> = {
  pending: 'Your edit is saved on this device and will sync.',
  attention: 'The server refused your edit — see Profile to retry or discard it.',
  conflict: 'Someone else changed this insight after you started editing — choose which version to keep.',
};

/** One of my insights in full: what the team said, its photos and recordings, and Edit. */
export function InsightDetail({ insight, pendingEdit, canEdit, refreshKey }: InsightDetailProps) {
  const changes: EditChanges | null = pendingEdit?.changes ?? null;
  const shown = editValues(insight, changes);
  const areas = insight.productAreas.map((area) => labelOf(PRODUCT_AREAS, area)).join(', ');
  return (
    <>
      <p className="back">
        <a href={hrefOf('impact')}>← Impact</a>
      </p>
      <ScreenTitle>Insight</ScreenTitle>
      {pendingEdit !== null && (
        <div className={`banner banner--${pendingEdit.state === 'pending' ? 'info' : 'error'}`} role="status">
          <p>{EDIT_STATE[pendingEdit.state]}</p>
          {pendingEdit.state === 'conflict' && (
            <a className="button button--quiet" href={hrefOf('impact', 'conflict', pendingEdit.id)}>
              Resolve
            </a>
          )}
        </div>
      )}
      <article className="insight" data-testid="insight-detail">
        {insight.title !== null && <h2>{insight.title}</h2>}
        <p className="insight__text">{shown.text}</p>
        <dl className="insight__facts">
          <dt>Type</dt>
          <dd>{labelOf(INSIGHT_TYPES, shown.type)}</dd>
          <dt>Sentiment</dt>
          <dd>{labelOf(SENTIMENTS, shown.sentiment)}</dd>
          <dt>Priority</dt>
          <dd>{labelOf(PRIORITIES, shown.priority)}</dd>
          {areas !== '' && (
            <>
              <dt>Product areas</dt>
              <dd>{areas}</dd>
            </>
          )}
          {shown.tags !== '' && (
            <>
              <dt>Tags</dt>
              <dd>{shown.tags}</dd>
            </>
          )}
          <dt>Needs follow-up</dt>
          <dd>{shown.followUp ? 'Yes' : 'No'}</dd>
          {insight.event !== null && (
            <>
              <dt>Event</dt>
              <dd>
                {insight.event.name}
                {insight.session !== null ? ` · ${insight.session.title}` : ''}
              </dd>
            </>
          )}
          <dt>Captured</dt>
          <dd>{dateTime(insight.capturedAt)}</dd>
        </dl>
        {canEdit && pendingEdit?.state !== 'conflict' && (
          <a className="button button--secondary" href={hrefOf('impact', insight.id, 'edit')}>
            Edit
          </a>
        )}
      </article>
      <Activity insightId={insight.id} refreshKey={refreshKey} />
      <Attachments insightId={insight.id} refreshKey={refreshKey} />
    </>
  );
}
