import { Card } from '@leafygreen-ui/card';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body } from '@leafygreen-ui/typography';
import type { EventListItem } from '../../../../contract/api/events.ts';
import { ATTENDANCE_MODES } from '../../../../contract/program.ts';
import { EVENT_TYPES, labelOf } from '../../../../contract/taxonomy.ts';
import { AppLink } from '../../components/Nav.tsx';
import { ActiveBadge, dayRange, StatusBadge } from './fields.tsx';
import { eventHref } from './listUrl.ts';

/** "Berlin · On-site" — where, and how people attend. */
function where(item: EventListItem): string {
  const mode = labelOf(ATTENDANCE_MODES, item.attendance);
  return item.location === null ? mode : `${item.location} · ${mode}`;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function Counts({ item }: { item: EventListItem }) {
  return (
    <span className="ev-counts" data-testid="event-counts">
      <span>{plural(item.sessionCount, 'session')}</span>
      <span>{item.assignedCount} assigned</span>
      <span>{plural(item.insightCount, 'insight')}</span>
    </span>
  );
}

/** The calendar as a table: one row per event, its name linking to the detail page. */
export function EventTable({ items }: { items: EventListItem[] }) {
  return (
    <div className="table-scroll">
      <Table aria-label="Events" data-testid="events-table">
        <TableHead>
          <HeaderRow>
            <HeaderCell>Event</HeaderCell>
            <HeaderCell>Dates</HeaderCell>
            <HeaderCell>Quarter</HeaderCell>
            <HeaderCell>Type</HeaderCell>
            <HeaderCell>Region</HeaderCell>
            <HeaderCell>Where</HeaderCell>
            <HeaderCell>Account</HeaderCell>
            <HeaderCell>Owner</HeaderCell>
            <HeaderCell>Status</HeaderCell>
            <HeaderCell>Sessions</HeaderCell>
            <HeaderCell>Assigned</HeaderCell>
            <HeaderCell>Insights</HeaderCell>
          </HeaderRow>
        </TableHead>
        <TableBody>
          {items.map((item) => (
            <Row key={item.id} data-testid="event-row">
              <Cell>
                <AppLink to={eventHref(item.id)} className="ev-name">
                  {item.name}
                </AppLink>
              </Cell>
              <Cell className="nowrap">{dayRange(item.startsOn, item.endsOn)}</Cell>
              <Cell className="nowrap">{item.quarter ?? '—'}</Cell>
              <Cell>{labelOf(EVENT_TYPES, item.eventType)}</Cell>
              <Cell>{item.region ?? '—'}</Cell>
              <Cell>{where(item)}</Cell>
              <Cell>{item.accountName ?? '—'}</Cell>
              <Cell>{item.owner?.name ?? '—'}</Cell>
              <Cell>
                <span className="ev-badges">
                  <StatusBadge status={item.status} />
                  <ActiveBadge active={item.isActive} />
                </span>
              </Cell>
              <Cell className="ev-num">{item.sessionCount}</Cell>
              <Cell className="ev-num">{item.assignedCount}</Cell>
              <Cell className="ev-num">{item.insightCount}</Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** The calendar as cards: easier to scan on a narrow screen or for a quarter's plan. */
export function EventCards({ items }: { items: EventListItem[] }) {
  return (
    <ul className="ev-cards" aria-label="Events" data-testid="events-cards">
      {items.map((item) => (
        <li key={item.id}>
          <Card className="ev-card" data-testid="event-card">
            <div className="ev-badges">
              <StatusBadge status={item.status} />
              <ActiveBadge active={item.isActive} />
            </div>
            <AppLink to={eventHref(item.id)} className="ev-name ev-card__name">
              {item.name}
            </AppLink>
            <Body className="ev-card__line">
              {dayRange(item.startsOn, item.endsOn)}
              {item.quarter !== null && ` · ${item.quarter}`}
            </Body>
            <Body className="ev-card__line">
              {labelOf(EVENT_TYPES, item.eventType)}
              {item.region !== null && ` · ${item.region}`} · {where(item)}
            </Body>
            {item.accountName !== null && <Body className="ev-card__line">Account: {item.accountName}</Body>}
            {item.owner !== null && <Body className="ev-card__line">Owner: {item.owner.name}</Body>}
            <Counts item={item} />
          </Card>
        </li>
      ))}
    </ul>
  );
}
