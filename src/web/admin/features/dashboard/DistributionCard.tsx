import { Card } from '@leafygreen-ui/card';
import { H3 } from '@leafygreen-ui/typography';
import type { ECElementEvent } from 'echarts/core';
import { useMemo } from 'react';
import type { CountRow } from '../../../../contract/api/common.ts';
import { AppLink } from '../../components/Nav.tsx';
import { navigate } from '../../nav.ts';
import { barOption, barRow, breakdownSummary, pieOption, pieRow } from './chartOptions.ts';
import { EChart } from './EChart.tsx';

interface DistributionCardProps {
  title: string;
  rows: CountRow[];
  /** Where a row leads (null: shown, not linked). */
  hrefOf: (key: string) => string | null;
  kind?: 'bar' | 'pie';
  /** Shown under the chart, e.g. that one insight may name several product areas. */
  note?: string;
  testId: string;
}

const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });

/**
 * One breakdown as a chart (click a bar or slice for its insights) with the same numbers as a table whose
 * rows link to the same place. Every taxonomy entry keeps its row; a zero is greyed, never hidden.
 */
export function DistributionCard({ title, rows, hrefOf, kind = 'bar', note, testId }: DistributionCardProps) {
  const option = useMemo(() => (kind === 'pie' ? pieOption(rows) : barOption(rows)), [rows, kind]);
  const sum = rows.reduce((total, row) => total + row.count, 0);
  const headingId = `dist-${testId}`;
  const onSelect = (event: ECElementEvent) => {
    const row = kind === 'pie' ? pieRow(rows, event.dataIndex) : barRow(rows, event.dataIndex);
    const href = row === undefined ? null : hrefOf(row.key);
    if (href !== null) navigate(href);
  };

  return (
    <Card className="dist" data-testid={testId}>
      <H3 as="h3" id={headingId} className="dist__title">
        {title}
      </H3>
      <EChart
        option={option}
        summary={breakdownSummary(title, rows)}
        onSelect={onSelect}
        height={kind === 'pie' ? 240 : rows.length * 24 + 24}
        testId={`${testId}-chart`}
      />
      {note !== undefined && <p className="dist__note">{note}</p>}
      <details className="as-table">
        <summary>View as table</summary>
        <table className="dist__table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Value</th>
              <th scope="col" className="num">
                Insights
              </th>
              <th scope="col" className="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const href = row.count > 0 ? hrefOf(row.key) : null;
              return (
                <tr key={row.key} className={row.count === 0 ? 'is-zero' : undefined}>
                  <th scope="row">{href === null ? row.label : <AppLink to={href}>{row.label}</AppLink>}</th>
                  <td className="num">{row.count}</td>
                  <td className="num">{sum > 0 ? percent.format(row.count / sum) : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </Card>
  );
}
