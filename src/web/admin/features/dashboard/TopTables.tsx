import { Card } from '@leafygreen-ui/card';
import { Body, H3 } from '@leafygreen-ui/typography';
import type { Dashboard, EventCoverage, NamedCount } from '../../../../contract/api/reporting.ts';
import { AppLink } from '../../components/Nav.tsx';

interface RankedProps {
  title: string;
  rows: (NamedCount & { team?: string | null })[];
  hrefOf: (id: string) => string;
  /** Column head of the name ("Event", "Person"). */
  noun: string;
  testId: string;
  showTeam?: boolean;
}

/** A top-N list: name (a link to its insights in the period), count. */
export function RankedTable({ title, rows, hrefOf, noun, testId, showTeam = false }: RankedProps) {
  return (
    <Card className="dist" data-testid={testId}>
      <H3 as="h3" className="dist__title">
        {title}
      </H3>
      {rows.length === 0 ? (
        <Body className="muted">None in this period.</Body>
      ) : (
        <table className="dist__table">
          <thead>
            <tr>
              <th scope="col">{noun}</th>
              {showTeam && <th scope="col">Team</th>}
              <th scope="col" className="num">
                Insights
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid={`${testId}-row`}>
                <th scope="row">
                  <AppLink to={hrefOf(row.id)}>{row.name}</AppLink>
                </th>
                {showTeam && <td>{row.team ?? '–'}</td>}
                <td className="num">{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });

function covered(row: EventCoverage): string {
  if (row.sessions === 0) return 'no sessions';
  return `${row.sessionsCovered} of ${row.sessions} (${percent.format(row.sessionsCovered / row.sessions)})`;
}

/** Per event with insights in the period: how many, by how many people, and how many sessions have one. */
export function CoverageTable({
  rows,
  hrefOf,
}: {
  rows: Dashboard['coverage'];
  hrefOf: (eventId: string) => string;
}) {
  return (
    <Card className="coverage" data-testid="coverage">
      <H3 as="h2" className="dist__title">
        Capture coverage per event
      </H3>
      <Body className="muted">
        Events with insights in the period. A session is covered when at least one insight names it.
      </Body>
      {rows.length === 0 ? (
        <Body className="muted">No event has insights in this period.</Body>
      ) : (
        <div className="table-scroll">
          <table className="dist__table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Dates</th>
                <th scope="col" className="num">
                  Insights
                </th>
                <th scope="col" className="num">
                  Contributors
                </th>
                <th scope="col" className="num">
                  Sessions covered
                </th>
                <th scope="col" className="coverage__bar-col">
                  <span className="visually-hidden">Coverage bar</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.event.id} data-testid="coverage-row">
                  <th scope="row">
                    <AppLink to={hrefOf(row.event.id)}>{row.event.name}</AppLink>
                  </th>
                  <td className="nowrap">
                    {row.event.startsOn === null
                      ? '–'
                      : row.event.endsOn === null || row.event.endsOn === row.event.startsOn
                        ? row.event.startsOn
                        : `${row.event.startsOn} – ${row.event.endsOn}`}
                  </td>
                  <td className="num">{row.insights}</td>
                  <td className="num">{row.contributors}</td>
                  <td className="num">{covered(row)}</td>
                  <td className="coverage__bar-col" aria-hidden="true">
                    <meter
                      className="coverage__meter"
                      min={0}
                      max={Math.max(row.sessions, 1)}
                      value={row.sessionsCovered}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
