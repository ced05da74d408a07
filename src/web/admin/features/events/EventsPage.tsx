import { Banner } from '@leafygreen-ui/banner';
import type { Me } from '../../../../contract/api/me.ts';
import { atLeast } from '../../../../contract/roles.ts';
import { AppLink } from '../../components/Nav.tsx';
import { pageInfo, subPath, usePathname } from '../../nav.ts';
import { EventDetailPage, EventLoader } from './EventDetailPage.tsx';
import { EditEventForm, NewEventForm } from './EventForm.tsx';
import { EventList } from './EventList.tsx';
import { EVENTS_PATH, eventHref } from './listUrl.ts';
import './events.css';

/** Only managers and admins write events (the server decides; the UI offers only what works). */
function ReadOnly({ backTo }: { backTo: string }) {
  return (
    <main className="admin-main">
      <Banner variant="info" data-testid="read-only">
        You can read events but not change them: events are edited by their owner's manager or an admin.
      </Banner>
      <AppLink to={backTo}>Back</AppLink>
    </main>
  );
}

/**
 * /admin/events: the calendar; /admin/events/new: create; /admin/events/<id>: one event;
 * /admin/events/<id>/edit: edit it.
 */
export function EventsPage({ me }: { me: Me }) {
  const pathname = usePathname();
  const rest = subPath(pathname, pageInfo('events'));
  if (rest === null) return <EventList me={me} />;
  if (rest === 'new')
    return atLeast(me.role, 'manager') ? <NewEventForm me={me} /> : <ReadOnly backTo={EVENTS_PATH} />;
  const [id = '', action] = rest.split('/');
  if (action === 'edit')
    return (
      <EventLoader
        key={`${id}/edit`}
        id={id}
        render={(event) =>
          event.canManage ? <EditEventForm event={event} /> : <ReadOnly backTo={eventHref(id)} />
        }
      />
    );
  return <EventLoader key={id} id={id} render={(event) => <EventDetailPage event={event} />} />;
}
