import { Card } from '@leafygreen-ui/card';
import { Body, H2, H3 } from '@leafygreen-ui/typography';
import { type ReactNode, useMemo } from 'react';
import type { Analytics } from '../../../../contract/api/analytics.ts';
import { EChart } from '../dashboard/EChart.tsx';
import { PeriodTable, seriesColumn, TotalsTable } from './AnalyticsTables.tsx';
import { duration, percent, ratioOption, seriesOption } from './analyticsCharts.ts';

const SLICE_NOUN = { role: 'role', department: 'department', team: 'team' } as const;

function Section({
  id,
  title,
  note,
  children,
}: {
  id: string;
  title: string;
  note: string;
  children: ReactNode;
}) {
  return (
    <Card className="analytics-section" data-testid={`section-${id}`}>
      <H2 id={`${id}-heading`} className="section-title">
        {title}
      </H2>
      <Body className="muted">{note}</Body>
      {children}
    </Card>
  );
}

const labelsOf = (data: Analytics) => data.periods.map((p) => p.label);

export function ActiveUsersSection({ data }: { data: Analytics }) {
  const { activeUsers } = data;
  const option = useMemo(
    () => seriesOption(labelsOf(data), activeUsers.bySlice, { line: activeUsers.total }),
    [data, activeUsers],
  );
  const noun = SLICE_NOUN[data.slice];
  return (
    <Section
      id="active-users"
      title="Active users"
      note={`Distinct people who used the product per ${data.granularity === 'week' ? 'ISO week' : 'UTC day'}, by ${noun} (as it was that day). A person counts once per period, once under each ${noun} they had in it.`}
    >
      <EChart
        option={option}
        summary={`Active users per period, by ${noun}: ${activeUsers.total.total} people in the range.`}
        height={260}
        testId="active-users-chart"
      />
      <PeriodTable
        caption={`Active users per period, total and by ${noun}`}
        periods={data.periods}
        columns={[seriesColumn(activeUsers.total), ...activeUsers.bySlice.map(seriesColumn)]}
        testId="active-users-table"
      />
      {data.slice !== 'role' && (
        <>
          <H3 as="h3" className="dist__title">
            By role
          </H3>
          <PeriodTable
            caption="Active users per period by role"
            periods={data.periods}
            columns={activeUsers.byRole.map(seriesColumn)}
            testId="active-users-role-table"
          />
        </>
      )}
      <H3 as="h3" className="dist__title">
        By surface
      </H3>
      <PeriodTable
        caption="Active users per period by surface (capture app, admin app, API tokens)"
        periods={data.periods}
        columns={activeUsers.bySurface.map(seriesColumn)}
        testId="active-users-surface-table"
      />
    </Section>
  );
}

export function CapturesSection({ data }: { data: Analytics }) {
  const { captures } = data;
  const option = useMemo(
    () => seriesOption(labelsOf(data), captures.byTeam, { stack: true, line: captures.total }),
    [data, captures],
  );
  return (
    <Section
      id="captures"
      title="Captures"
      note="Insights people wrote (capture app, API, demo data; not public form responses), by the UTC day they were captured, merged duplicates included. Teams are the authors' teams now."
    >
      <EChart
        option={option}
        summary={`Captures per period by the author's team: ${captures.total.total} in the range.`}
        height={260}
        testId="captures-chart"
      />
      <PeriodTable
        caption="Captures per period, total and by team"
        periods={data.periods}
        columns={[seriesColumn(captures.total), ...captures.byTeam.map(seriesColumn)]}
        testId="captures-table"
      />
      <H3 as="h3" className="dist__title">
        By event
      </H3>
      <TotalsTable
        caption="Captures in the range by event"
        head={['Event', 'Captures']}
        rows={captures.byEvent.map((s) => ({ key: s.key ?? 'none', label: s.label, total: s.total }))}
        testId="captures-events-table"
      />
    </Section>
  );
}

export function OfflineSection({ data }: { data: Analytics }) {
  const { offline } = data;
  const option = useMemo(
    () =>
      ratioOption(labelsOf(data), [
        { name: 'Offline share of saves', values: offline.offlineShare.values },
        { name: 'Recovery rate', values: offline.recoveryRate.values },
      ]),
    [data, offline],
  );
  const cells = <T,>(values: T[], cell: (value: T) => string | number) => values.map(cell);
  return (
    <Section
      id="offline"
      title="Offline use and recovery"
      note="From the capture app's telemetry, by the UTC day of each event. Offline share: saves made offline / all saves. Recovery rate: sync sends that reached the server / those plus failed sends."
    >
      <EChart
        option={option}
        summary={`Offline share of saves ${percent(offline.offlineShare.total)} and recovery rate ${percent(offline.recoveryRate.total)} over the range.`}
        height={240}
        testId="offline-chart"
      />
      <PeriodTable
        caption="Offline use and recovery per period"
        periods={data.periods}
        columns={[
          {
            label: 'Saves',
            cells: cells(offline.offlineShare.values, (r) => r.denominator),
            total: offline.offlineShare.total.denominator,
          },
          {
            label: 'Offline saves',
            cells: cells(offline.offlineShare.values, (r) => r.numerator),
            total: offline.offlineShare.total.numerator,
          },
          {
            label: 'Offline share',
            cells: cells(offline.offlineShare.values, percent),
            total: percent(offline.offlineShare.total),
          },
          seriesColumn(offline.reconnects),
          {
            label: 'Offline p50',
            cells: cells(offline.offlineDuration.values, (d) => duration(d.p50)),
            total: duration(offline.offlineDuration.total.p50),
          },
          {
            label: 'Offline p95',
            cells: cells(offline.offlineDuration.values, (d) => duration(d.p95)),
            total: duration(offline.offlineDuration.total.p95),
          },
          {
            label: 'Synced',
            cells: cells(offline.recoveryRate.values, (r) => r.numerator),
            total: offline.recoveryRate.total.numerator,
          },
          {
            label: 'Failed',
            cells: cells(offline.recoveryRate.values, (r) => r.denominator - r.numerator),
            total: offline.recoveryRate.total.denominator - offline.recoveryRate.total.numerator,
          },
          {
            label: 'Recovery rate',
            cells: cells(offline.recoveryRate.values, percent),
            total: percent(offline.recoveryRate.total),
          },
        ]}
        testId="offline-table"
      />
    </Section>
  );
}

export function EngagementSection({ data }: { data: Analytics }) {
  const { engagement } = data;
  const option = useMemo(
    () => seriesOption(labelsOf(data), engagement.views, { stack: true }),
    [data, engagement],
  );
  return (
    <Section
      id="engagement"
      title="Report engagement"
      note="Views of the reporting pages (once per visit) and files exported, per period."
    >
      <EChart
        option={option}
        summary="Views per reporting page and period."
        height={240}
        testId="engagement-chart"
      />
      <PeriodTable
        caption="Views per reporting page and period"
        periods={data.periods}
        columns={engagement.views.map(seriesColumn)}
        testId="views-table"
      />
      <div className="analytics-pair">
        <TotalsTable
          caption="Distinct viewers in the range per reporting page"
          head={['Page', 'Viewers']}
          rows={engagement.viewers.map((s) => ({ key: s.key ?? '', label: s.label, total: s.total }))}
          testId="viewers-table"
        />
        <TotalsTable
          caption="Exports in the range by kind"
          head={['Export', 'Files']}
          rows={engagement.exports.map((s) => ({ key: s.key ?? '', label: s.label, total: s.total }))}
          testId="exports-table"
        />
      </div>
    </Section>
  );
}
