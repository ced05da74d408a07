import { truncate } from '../../ui/format.ts';
import { fieldLabel } from '../draft.ts';
import type { Outbox } from '../useOutbox.ts';

/**
 * What waits on this device: the count to sync (with a "Sync now"), the insights the server refused with its
 * reasons (kept until the person retries or removes them), and other people's insights waiting for them.
 */
export function OutboxPanel({ outbox, sessionEnded }: { outbox: Outbox; sessionEnded: boolean }) {
  const { pending, attention, others, syncing } = outbox;
  if (pending === 0 && attention.length === 0 && others.length === 0) return null;

  const discard = (id: string, text: string) => {
    if (
      window.confirm(
        `Remove this insight from the device? It was never saved on the server.\n\n“${truncate(text, 80)}”`,
      )
    )
      outbox.discard(id);
  };

  return (
    <section className="outbox" aria-label="Waiting to sync">
      {pending > 0 && (
        <div className="outbox__row">
          <p className="outbox__count" data-testid="pending-count" data-pending={pending}>
            {pending} insight{pending === 1 ? '' : 's'} saved on this device, waiting to sync
            {syncing ? ' — syncing…' : ''}
          </p>
          {!sessionEnded && (
            <button type="button" className="button button--quiet" onClick={outbox.sync} disabled={syncing}>
              Sync now
            </button>
          )}
        </div>
      )}
      {attention.length > 0 && (
        <ul className="outbox__problems" data-testid="needs-attention">
          {attention.map((item) => (
            <li key={item.body.id} className="outbox__problem">
              <p className="outbox__text">{truncate(item.body.text, 120)}</p>
              <p>
                <strong>Needs attention:</strong> {item.problem?.detail}
              </p>
              {(item.problem?.fields.length ?? 0) > 0 && (
                <ul>
                  {item.problem?.fields.map((field) => (
                    <li key={`${field.field}:${field.message}`}>
                      <strong>{fieldLabel(field.field)}</strong>: {field.message}
                    </li>
                  ))}
                </ul>
              )}
              <div className="outbox__actions">
                <button
                  type="button"
                  className="button button--quiet"
                  onClick={() => outbox.retry(item.body.id)}
                >
                  Try again
                </button>
                <button
                  type="button"
                  className="button button--quiet"
                  onClick={() => discard(item.body.id, item.body.text)}
                >
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {others.map((other) => (
        <p key={other.id} className="outbox__others">
          {other.count} insight{other.count === 1 ? '' : 's'} captured here by {other.name} will sync when{' '}
          {other.name} signs in on this device.
        </p>
      ))}
    </section>
  );
}
