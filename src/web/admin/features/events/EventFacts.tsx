import { H2 } from '@leafygreen-ui/typography';
import type { ReactNode } from 'react';
import type { EventDetail } from '../../../../contract/api/events.ts';
import {
  ACCOUNT_SEGMENTS,
  ASSIGNMENT_ROLES,
  ATTENDANCE_MODES,
  ENGAGEMENT_TYPES,
  EVENT_STATUSES,
  TRAVEL_STATUSES,
} from '../../../../contract/program.ts';
import { EVENT_TYPES, labelOf, type TaxonomyEntry } from '../../../../contract/taxonomy.ts';
import { dateTime } from '../../../ui/format.ts';
import { dayRange } from './fields.tsx';

type Fact = [label: string, value: ReactNode];

const NONE = <span className="ev-muted">—</span>;
const label = (list: readonly TaxonomyEntry[], id: string | null) => (id === null ? NONE : labelOf(list, id));
const plain = (value: string | null) => (value === null || value === '' ? NONE : value);

/** An http(s) link opened in a new tab; anything else (never stored, but never trusted) as text. */
function ExternalLink({ href }: { href: string | null }) {
  if (href === null) return NONE;
  if (!/^https?:\/\//i.test(href)) return <>{href}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {href}
    </a>
  );
}

/** A plain OpenStreetMap link to the point (no map library, no third-party script on our page). */
export function osmHref(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(5);
  const lon = longitude.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`;
}

function FactGroup({ title, facts, testId }: { title: string; facts: Fact[]; testId: string }) {
  return (
    <section className="ev-facts" aria-label={title} data-testid={testId}>
      <H2 className="ev-facts__title">{title}</H2>
      <dl>
        {facts.map(([term, value]) => (
          <div key={term} className="ev-facts__row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Every program-office field of the event, grouped (Basics, Where & when, Account, People, Links, …). */
export function EventFacts({ event }: { event: EventDetail }) {
  const point =
    event.latitude !== null && event.longitude !== null ? (
      <a
        href={osmHref(event.latitude, event.longitude)}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="map-link"
      >
        {event.latitude.toFixed(4)}, {event.longitude.toFixed(4)} — open map
      </a>
    ) : (
      NONE
    );
  const byRole = ASSIGNMENT_ROLES.map((role): Fact => {
    const people = event.assignments.filter((a) => a.role === role.id);
    return [
      `Advocates ${role.label.toLowerCase()}`,
      people.length === 0
        ? NONE
        : people.map((a) => a.person.name + (a.person.team ? ` (${a.person.team})` : '')).join(', '),
    ];
  });
  return (
    <div className="ev-facts-grid">
      <FactGroup
        title="Basics"
        testId="facts-basics"
        facts={[
          ['Event type', labelOf(EVENT_TYPES, event.eventType)],
          ['Status', labelOf(EVENT_STATUSES, event.status)],
          ['Quarter', plain(event.quarter)],
          ['Engagement', label(ENGAGEMENT_TYPES, event.engagementType)],
          ['Created', dateTime(event.createdAt)],
          ['Last changed', dateTime(event.updatedAt)],
        ]}
      />
      <FactGroup
        title="Where & when"
        testId="facts-where"
        facts={[
          ['Dates', dayRange(event.startsOn, event.endsOn)],
          ['Time zone', plain(event.timezone)],
          ['Virtual or on-site', labelOf(ATTENDANCE_MODES, event.attendance)],
          ['Region', plain(event.region)],
          ['Location', plain(event.location)],
          ['Map', point],
        ]}
      />
      <FactGroup
        title="Account"
        testId="facts-account"
        facts={[
          ['Account', plain(event.accountName)],
          ['Segment', label(ACCOUNT_SEGMENTS, event.accountSegment)],
          ['Champion', plain(event.champion)],
          ['Marketer', plain(event.marketer)],
        ]}
      />
      <FactGroup
        title="People"
        testId="facts-people"
        facts={[
          ['Owner', event.owner?.name ?? NONE],
          ['Champion', plain(event.champion)],
          ['Marketer', plain(event.marketer)],
          ...byRole,
        ]}
      />
      <FactGroup
        title="Links"
        testId="facts-links"
        facts={[
          ['Event page', <ExternalLink key="e" href={event.eventUrl} />],
          ['Tracker', <ExternalLink key="t" href={event.trackerUrl} />],
          ['Salesforce', <ExternalLink key="s" href={event.salesforceUrl} />],
          ['Slack channel', plain(event.slackChannel)],
        ]}
      />
      <FactGroup
        title="Tech stack & travel"
        testId="facts-stack"
        facts={[
          [
            'Tech stack',
            event.techStack.length === 0 ? (
              <span key="none" className="ev-muted">
                —
              </span>
            ) : (
              <ul key="stack" className="ev-chips" aria-label="Tech stack">
                {event.techStack.map((name) => (
                  <li key={name} className="ev-chip">
                    {name}
                  </li>
                ))}
              </ul>
            ),
          ],
          ['Travel', label(TRAVEL_STATUSES, event.travelStatus)],
        ]}
      />
    </div>
  );
}
