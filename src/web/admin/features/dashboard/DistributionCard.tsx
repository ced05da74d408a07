import { Card } from '@leafygreen-ui/card';
import { H3 } from '@leafygreen-ui/typography';
import type { CountRow } from '../../../../contract/api/common.ts';

interface DistributionCardProps {
  title: string;
  rows: CountRow[];
  /** Shown under the table, e.g. that one insight may name several product areas. */
  note?: string;
}

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

/**
 * One breakdown as label, bar, count and share. Every taxonomy entry keeps its row; a zero is greyed, never
 * hidden, so an empty category is visible as empty rather than missing.
 */
export function DistributionCard({ title, rows, note }: DistributionCardProps) {
  const sum = rows.reduce((total, row) => total + row.count, 0);
  const max = rows.reduce((largest, row) => Math.max(largest, row.count), 0);
  const headingId = `dist-${title.toLowerCase().replaceAll(/\W+/g, '-')}`;
  return (
    <Card className="dist">
      <H3 as="h2" id={headingId} className="dist__title">
        {title}
      </H3>
      <table className="dist__table" aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col">Value</th>
            <th scope="col" className="dist__bar-col">
              <span className="visually-hidden">Bar</span>
            </th>
            <th scope="col" className="num">
              Count
            </th>
            <th scope="col" className="num">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={row.count === 0 ? 'is-zero' : undefined}>
              <th scope="row">{row.label}</th>
              <td className="dist__bar-col" aria-hidden="true">
                <span
                  className="dist__bar"
                  style={{ width: max > 0 ? `${(row.count / max) * 100}%` : '0%' }}
                />
              </td>
              <td className="num">{row.count}</td>
              <td className="num">{sum > 0 ? percent.format(row.count / sum) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {note !== undefined && <p className="dist__note">{note}</p>}
    </Card>
  );
}
