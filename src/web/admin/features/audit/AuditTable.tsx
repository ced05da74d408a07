import { Badge } from '@leafygreen-ui/badge';
import { Button } from '@leafygreen-ui/button';
import { Fragment, useState } from 'react';
import type { AuditEventView } from '../../../../contract/api/audit.ts';
import { dateTime } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { personHistoryHref } from './auditUrl.ts';

export function OutcomeBadge({ outcome }: { outcome: AuditEventView['outcome'] }) {
  return outcome === 'success' ? (
    <Badge variant="green">Success</Badge>
  ) : (
    <Badge variant="red">Failure</Badge>
  );
}

function Actor({ event }: { event: AuditEventView }) {
  const { actor } = event;
  if (actor === null) return <span className="muted">System</span>;
  return (
    <>
      <AppLink to={personHistoryHref(actor.id)}>{actor.displayName ?? actor.id}</AppLink>
      <div className="badges">
        {actor.role !== null && <span className="muted">{actor.role}</span>}
        {event.tokenId !== null && <Badge variant="blue">API token</Badge>}
        {event.breakGlass && <Badge variant="yellow">Break-glass</Badge>}
      </div>
    </>
  );
}

function Target({ event }: { event: AuditEventView }) {
  const { target } = event;
  const name = target.label ?? target.id;
  return (
    <>
      <code className="audit-code">{target.type}</code>
      {name !== null && (
        <div className="audit-target">
          {target.type === 'person' && target.id !== null ? (
            <AppLink to={personHistoryHref(target.id)}>{name}</AppLink>
          ) : (
            name
          )}
        </div>
      )}
    </>
  );
}

/** Everything recorded about the event, details as readable JSON. */
function Details({ event, id }: { event: AuditEventView; id: string }) {
  const facts: [string, string | null][] = [
    ['Sequence', String(event.seq)],
    ['Event id', event.id],
    ['Request id', event.requestId],
    ['Trace id', event.traceId],
    ['IP', event.ip],
    ['User agent', event.userAgent],
    ['Session', event.actor?.sessionId ?? null],
    ['API token', event.tokenId],
  ];
  return (
    <div id={id} className="audit-details" data-testid="audit-details">
      <p className="audit-details__what">{event.description}</p>
      <dl className="audit-details__facts">
        {facts
          .filter(([, value]) => value !== null)
          .map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>
                <code>{value}</code>
              </dd>
            </Fragment>
          ))}
      </dl>
      <pre className="audit-details__json" data-testid="audit-details-json">
        {JSON.stringify(event.details, null, 2)}
      </pre>
    </div>
  );
}

/** Audit events as a table, newest first; each row opens to show everything recorded about it. */
export function AuditTable({ items, label }: { items: readonly AuditEventView[]; label: string }) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (seq: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  return (
    <div className="table-scroll">
      <table className="audit-table" aria-label={label} data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((event) => {
            const expanded = open.has(event.seq);
            const detailsId = `audit-details-${event.seq}`;
            return (
              <Fragment key={event.seq}>
                <tr data-testid="audit-row" data-action={event.action}>
                  <td className="nowrap">
                    <time dateTime={event.occurredAt}>{dateTime(event.occurredAt)}</time>
                  </td>
                  <td>
                    <code className="audit-code" title={event.description}>
                      {event.action}
                    </code>
                  </td>
                  <td>
                    <OutcomeBadge outcome={event.outcome} />
                  </td>
                  <td>
                    <Actor event={event} />
                  </td>
                  <td>
                    <Target event={event} />
                  </td>
                  <td>
                    <Button
                      size="xsmall"
                      aria-expanded={expanded}
                      aria-controls={expanded ? detailsId : undefined}
                      onClick={() => toggle(event.seq)}
                    >
                      {expanded ? 'Hide' : 'Details'}
                      <span className="visually-hidden">
                        {expanded ? ' details' : ''} of event {event.seq}
                      </span>
                    </Button>
                  </td>
                </tr>
                {expanded && (
                  <tr className="audit-table__more">
                    <td colSpan={6}>
                      <Details event={event} id={detailsId} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
