import { Badge } from '@leafygreen-ui/badge';
import { Cell, HeaderCell, HeaderRow, Row, Table, TableBody, TableHead } from '@leafygreen-ui/table';
import { Body, H2 } from '@leafygreen-ui/typography';
import type { EventDetail } from '../../../../contract/api/events.ts';
import { ASSIGNMENT_ROLES } from '../../../../contract/program.ts';
import { INSIGHT_TYPES, labelOf, SENTIMENTS } from '../../../../contract/taxonomy.ts';
import { dateTime, truncate } from '../../../ui/format.ts';
import { AppLink } from '../../components/Nav.tsx';
import { insightHref, insightsHref } from '../insights/filterUrl.ts';

/**
 * Capture coverage: how many insights each assigned advocate captured at the event, the ones with none
 * highlighted, and who captured there without being assigned. Counts are within the reader's insight scope.
 */
export function Coverage({ event }: { event: EventDetail }) {
  const { coverage } = event;
  return (
    <section className="ev-section" aria-labelledby="coverage-title" data-testid="coverage">
      <H2 id="coverage-title">Coverage</H2>
      <Body data-testid="coverage-summary">
        {coverage.totalInsights} {coverage.totalInsights === 1 ? 'insight' : 'insights'} captured at this
        event
        {coverage.assignedWithoutInsights > 0 &&
          ` · ${coverage.assignedWithoutInsights} assigned ${coverage.assignedWithoutInsights === 1 ? 'advocate has' : 'advocates have'} captured nothing yet`}
        .
      </Body>
      {coverage.assigned.length === 0 ? (
        <Body className="ev-muted">Nobody is assigned to this event.</Body>
      ) : (
        <div className="table-scroll">
          <Table aria-label="Assigned advocates and their insights">
            <TableHead>
              <HeaderRow>
                <HeaderCell>Assigned advocate</HeaderCell>
                <HeaderCell>Role</HeaderCell>
                <HeaderCell>Insights</HeaderCell>
              </HeaderRow>
            </TableHead>
            <TableBody>
              {coverage.assigned.map((row) => {
                const none = row.inScope && row.insights === 0;
                return (
                  <Row
                    key={row.person.id}
                    data-testid="coverage-row"
                    className={none ? 'ev-row--none' : undefined}
                  >
                    <Cell>{row.person.name}</Cell>
                    <Cell>{labelOf(ASSIGNMENT_ROLES, row.role)}</Cell>
                    <Cell>
                      {!row.inScope ? (
                        <span className="ev-muted">Outside your scope</span>
                      ) : none ? (
                        <Badge variant="yellow" data-testid="no-insights">
                          0 — nothing captured yet
                        </Badge>
                      ) : (
                        <AppLink to={insightsHref({ eventId: event.id, authorId: row.person.id })}>
                          {row.insights}
                        </AppLink>
                      )}
                    </Cell>
                  </Row>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
      {coverage.unassigned.length > 0 && (
        <div data-testid="coverage-unassigned">
          <Body weight="medium">Also captured here (not assigned)</Body>
          <ul className="ev-plain-list">
            {coverage.unassigned.map((row) => (
              <li key={row.person.id}>
                {row.person.name}:{' '}
                <AppLink to={insightsHref({ eventId: event.id, authorId: row.person.id })}>
                  {row.insights} {row.insights === 1 ? 'insight' : 'insights'}
                </AppLink>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The newest linked insights, each opening in the Insights drawer; "See all" opens the filtered list. */
export function LatestInsights({ event }: { event: EventDetail }) {
  const sessionTitle = (id: string | null) => event.sessions.find((s) => s.id === id)?.title;
  return (
    <section className="ev-section" aria-labelledby="latest-title" data-testid="latest-insights">
      <div className="ev-section__head">
        <H2 id="latest-title">Latest insights</H2>
        <AppLink to={insightsHref({ eventId: event.id })} className="ev-button-link">
          See all
        </AppLink>
      </div>
      {event.latestInsights.length === 0 ? (
        <Body className="ev-muted">No insights linked to this event in your scope yet.</Body>
      ) : (
        <ul className="ev-insights">
          {event.latestInsights.map((insight) => {
            const session = sessionTitle(insight.sessionId);
            return (
              <li key={insight.id} className="ev-insight" data-testid="latest-insight">
                <AppLink to={insightHref(insight.id, { eventId: event.id })} className="ev-name">
                  {insight.title ?? truncate(insight.excerpt, 120)}
                </AppLink>
                <span className="ev-muted">
                  {labelOf(INSIGHT_TYPES, insight.type)} · {labelOf(SENTIMENTS, insight.sentiment)} ·{' '}
                  {insight.author.name} · {dateTime(insight.capturedAt)}
                  {session !== undefined && ` · ${session}`}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
