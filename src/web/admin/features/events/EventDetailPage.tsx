import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { Body, H1 } from '@leafygreen-ui/typography';
import { type ReactNode, useState } from 'react';
import type { EventDetail } from '../../../../contract/api/events.ts';
import { ApiError } from '../../../ui/api.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ProblemNotice } from '../../components/ProblemNotice.tsx';
import { navigate } from '../../nav.ts';
import { Coverage, LatestInsights } from './Coverage.tsx';
import { EventFacts } from './EventFacts.tsx';
import { isStaleVersion } from './eventDraft.ts';
import { ActiveBadge, dayRange, StatusBadge } from './fields.tsx';
import { EVENTS_PATH, editHref } from './listUrl.ts';
import { useDeleteEvent, useEvent, useReloadEvent, useUpdateEvent } from './queries.ts';
import { Sessions } from './Sessions.tsx';
import './event-detail.css';

/** Loads one event; a 404 (unknown, or not visible) says so instead of an error. */
export function EventLoader({ id, render }: { id: string; render: (event: EventDetail) => ReactNode }) {
  const event = useEvent(id);
  // A failed background refresh keeps showing what was loaded.
  if (event.data !== undefined) return <>{render(event.data)}</>;
  if (event.isPending)
    return (
      <Body className="admin-main" aria-live="polite">
        Loading…
      </Body>
    );
  const missing =
    event.error instanceof ApiError && (event.error.status === 404 || event.error.status === 400);
  return (
    <main className="admin-main">
      {missing ? (
        <Banner variant="warning" data-testid="event-missing">
          There is no such event, or it is not visible to you.
        </Banner>
      ) : (
        <ProblemNotice error={event.error} what="Couldn't load the event" />
      )}
      <AppLink to={EVENTS_PATH}>Back to events</AppLink>
    </main>
  );
}

/** The "Active in capture picker" switch: a PATCH of isActive with the version shown. */
function ActiveToggle({ event }: { event: EventDetail }) {
  const update = useUpdateEvent(event.id);
  const reload = useReloadEvent(event.id);
  const conflict = isStaleVersion(update.error);
  // Show the new position at once; the server's answer (or a refusal) settles it.
  const checked = update.isPending ? update.variables.isActive === true : event.isActive;
  return (
    <div className="ev-toggle">
      <label className="ev-check">
        <input
          type="checkbox"
          role="switch"
          aria-checked={checked}
          checked={checked}
          disabled={update.isPending}
          onChange={(change) => update.mutate({ isActive: change.target.checked, version: event.version })}
        />
        Active in capture picker
      </label>
      {conflict ? (
        <Banner variant="warning">
          Someone else changed this event in the meantime.{' '}
          <Button size="xsmall" onClick={() => void reload().then(() => update.reset())}>
            Reload
          </Button>
        </Banner>
      ) : (
        <ProblemNotice error={update.error} what="Couldn't change it" />
      )}
    </div>
  );
}

function DeleteEvent({ event }: { event: EventDetail }) {
  const remove = useDeleteEvent(event.id);
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <Button variant="dangerOutline" size="small" onClick={() => setConfirming(true)}>
        Delete event
      </Button>
    );
  return (
    <div className="ev-confirm" data-testid="delete-confirm">
      <Body>Delete “{event.name}” and its sessions? This cannot be undone.</Body>
      <ProblemNotice error={remove.error} what="Couldn't delete the event" />
      <div className="ev-actions">
        <Button
          variant="danger"
          size="small"
          disabled={remove.isPending}
          onClick={() => remove.mutate(undefined, { onSuccess: () => navigate(EVENTS_PATH) })}
        >
          Delete event
        </Button>
        <Button
          size="small"
          onClick={() => {
            setConfirming(false);
            remove.reset();
          }}
        >
          Keep it
        </Button>
      </div>
    </div>
  );
}

/** /admin/events/<id>: every field, the picker switch, coverage, sessions and the latest insights. */
export function EventDetailPage({ event }: { event: EventDetail }) {
  return (
    <main className="admin-main ev-page" data-testid="event-detail">
      <AppLink to={EVENTS_PATH} className="ev-back">
        ← All events
      </AppLink>
      <div className="page-head">
        <div>
          <H1>{event.name}</H1>
          <div className="ev-badges">
            <StatusBadge status={event.status} />
            <ActiveBadge active={event.isActive} />
            <Body as="span">{dayRange(event.startsOn, event.endsOn)}</Body>
          </div>
        </div>
        {event.canManage && (
          <div className="ev-actions">
            <AppLink to={editHref(event.id)} className="ev-button-link ev-button-link--primary">
              Edit event
            </AppLink>
            <DeleteEvent event={event} />
          </div>
        )}
      </div>
      {event.canManage ? (
        <ActiveToggle event={event} />
      ) : (
        <Body className="ev-muted" data-testid="read-only-note">
          {event.isActive ? 'Shown in the capture picker.' : 'Not shown in the capture picker.'} You can read
          this event; its owner's manager or an admin can change it.
        </Body>
      )}
      <EventFacts event={event} />
      <Coverage event={event} />
      <Sessions event={event} />
      <LatestInsights event={event} />
    </main>
  );
}
