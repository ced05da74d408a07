import { dateTime, relativeTime, truncate } from '../../ui/format.ts';
import { fieldLabel } from '../lib/form.ts';
import { hrefOf } from '../lib/routes.ts';
import { discard, retry } from '../offline/outbox.ts';
import { isOldQueued } from '../offline/retention.ts';
import type { OutboxItem } from '../offline/types.ts';

const KIND_LABEL: Record<OutboxItem['kind'], string> = {
  insight: 'Insight',
  edit: 'Edit',
  attachment: 'Attachment',
  bug: 'Problem report',
};

/** A line that says which item this is, without opening it. */
function itemSummary(item: OutboxItem): string {
  switch (item.kind) {
    case 'insight':
      return truncate(item.body.text, 100);
    case 'edit':
      return truncate(item.changes.text ?? item.base.text, 100);
    case 'attachment':
      return `${item.attachmentKind === 'photo' ? 'Photo' : 'Recording'}, ${Math.max(1, Math.round(item.byteSize / 1024))} KB`;
    case 'bug':
      return truncate(item.report.description, 100);
  }
}

const DISCARD_WARNING: Record<OutboxItem['kind'], string> = {
  insight:
    'Remove this insight (and its photos and recording) from the device? It was never saved on the server.',
  edit: 'Drop this edit? The insight on the server stays as it is.',
  attachment: 'Remove this photo or recording from the device? It was never uploaded.',
  bug: 'Remove this problem report from the device? It was never sent.',
};

/** "3 days" for an item saved longer ago than RETENTION.outboxAgeWarningMs (it is kept until it syncs). */
function daysWaiting(queuedAt: string): string {
  const days = Math.floor((Date.now() - Date.parse(queuedAt)) / 86_400_000);
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

function Item({ item }: { item: OutboxItem }) {
  const remove = () => {
    if (window.confirm(`${DISCARD_WARNING[item.kind]}\n\n“${itemSummary(item)}”`)) void discard(item.id);
  };
  return (
    <li
      className={`outbox-item outbox-item--${item.state}`}
      data-testid="outbox-item"
      data-state={item.state}
    >
      <p className="outbox-item__head">
        <span className="tag">{KIND_LABEL[item.kind]}</span>{' '}
        <time dateTime={item.queuedAt} title={dateTime(item.queuedAt)}>
          saved {relativeTime(item.queuedAt)}
        </time>
        {item.attempts > 0 && ` · ${item.attempts} ${item.attempts === 1 ? 'try' : 'tries'}`}
      </p>
      <p className="outbox-item__text">{itemSummary(item)}</p>
      {isOldQueued(item.queuedAt) && (
        <p className="outbox-item__age" data-testid="outbox-age">
          Only on this device for {daysWaiting(item.queuedAt)}: it is kept until it syncs.
        </p>
      )}
      {item.problem !== null && (
        <div className="outbox-item__problem">
          <p>
            <strong>{item.state === 'conflict' ? 'Conflict' : 'Needs attention'}:</strong>{' '}
            {item.problem.detail}
          </p>
          {item.problem.fields.length > 0 && (
            <ul>
              {item.problem.fields.map((field) => (
                <li key={`${field.field}:${field.message}`}>
                  <strong>{fieldLabel(field.field)}</strong>: {field.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="outbox-item__actions">
        {item.state === 'conflict' ? (
          <a className="button button--quiet" href={hrefOf('profile', 'conflict', item.id)}>
            Resolve
          </a>
        ) : (
          <button type="button" className="button button--quiet" onClick={() => void retry(item.id)}>
            Retry
          </button>
        )}
        <button type="button" className="button button--quiet" onClick={remove}>
          Discard
        </button>
      </div>
    </li>
  );
}

/** My items still on the device, refused ones first (they need me), then the rest oldest first. */
export function OutboxList({ items }: { items: OutboxItem[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="outbox-list" aria-label="On this device">
      {items.map((item) => (
        <Item key={item.id} item={item} />
      ))}
    </ul>
  );
}
