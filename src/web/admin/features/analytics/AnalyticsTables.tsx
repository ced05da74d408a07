import type { ReactNode } from 'react';
import type { AnalyticsPeriod, AnalyticsSeries } from '../../../../contract/api/analytics.ts';

/** The numbers behind each chart, as tables: readable without the chart, by keyboard and screen reader. */

export interface Column {
  label: string;
  /** One cell per period. */
  cells: ReactNode[];
  /** The whole range. */
  total: ReactNode;
}

export const seriesColumn = (series: AnalyticsSeries): Column => ({
  label: series.label,
  cells: series.values,
  total: series.total,
});

/** Periods down, columns across, the whole range last. */
export function PeriodTable({
  caption,
  periods,
  columns,
  testId,
}: {
  caption: string;
  periods: AnalyticsPeriod[];
  columns: Column[];
  testId: string;
}) {
  return (
    <div className="table-scroll">
      <table className="dist__table analytics-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Period (UTC)</th>
            {columns.map((column) => (
              <th key={column.label} scope="col" className="num">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {periods.map((period, row) => (
            <tr key={period.key} data-testid={`${testId}-row`}>
              <th scope="row">
                {period.label}
                {!period.complete && (
                  <span className="muted">
                    {' '}
                    ({period.from} to {period.to})
                  </span>
                )}
              </th>
              {columns.map((column) => (
                <td key={column.label} className="num">
                  {column.cells[row]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid={`${testId}-total`}>
            <th scope="row">Whole range</th>
            {columns.map((column) => (
              <td key={column.label} className="num">
                {column.total}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** One row per series with its total over the range (events, exports, surfaces). */
export function TotalsTable({
  caption,
  head,
  rows,
  testId,
}: {
  caption: string;
  head: [string, string];
  rows: { key: string; label: string; total: ReactNode }[];
  testId: string;
}) {
  return (
    <table className="dist__table analytics-table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head[0]}</th>
          <th scope="col" className="num">
            {head[1]}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-testid={`${testId}-row`}>
            <th scope="row">{row.label}</th>
            <td className="num">{row.total}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
