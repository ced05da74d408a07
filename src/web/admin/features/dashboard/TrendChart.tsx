import { Card } from '@leafygreen-ui/card';
import { Body, H3 } from '@leafygreen-ui/typography';
import type { ECElementEvent } from 'echarts/core';
import { useMemo } from 'react';
import type { TrendPoint } from '../../../../contract/api/reporting.ts';
import { TREND_DAYS } from '../../../../contract/reporting.ts';
import { AppLink } from '../../components/Nav.tsx';
import { navigate } from '../../nav.ts';
import { SENTIMENT_SERIES, trendOption, trendSummary } from './chartOptions.ts';
import { EChart } from './EChart.tsx';

interface TrendChartProps {
  trend: TrendPoint[];
  /** The Insights page for one day (and a sentiment when a sentiment's part of the bar was clicked). */
  dayHref: (day: string, sentiment?: string) => string;
}

/**
 * The last TREND_DAYS days up to the period's end: captures per sentiment, stacked, under the daily total.
 * Click a day (or its sentiment) for those insights; the table under it has the same numbers as links.
 */
export function TrendChart({ trend, dayHref }: TrendChartProps) {
  const option = useMemo(() => trendOption(trend), [trend]);
  const onSelect = (event: ECElementEvent) => {
    const point = trend[event.dataIndex];
    if (point === undefined) return;
    const sentiment = SENTIMENT_SERIES.find((s) => s === event.seriesId);
    navigate(dayHref(point.date, sentiment));
  };
  const busy = trend.filter((point) => point.total > 0);

  return (
    <Card className="trend" data-testid="trend">
      <H3 as="h2" className="dist__title">
        {TREND_DAYS}-day trend
      </H3>
      <Body className="trend__summary">{trendSummary(trend)} Click a day for its insights.</Body>
      <EChart
        option={option}
        summary={trendSummary(trend)}
        onSelect={onSelect}
        height={260}
        testId="trend-chart"
      />
      <details className="as-table">
        <summary>View as table ({busy.length} days with captures)</summary>
        <table className="dist__table">
          <caption className="visually-hidden">Insights captured per day, by sentiment</caption>
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col" className="num">
                Positive
              </th>
              <th scope="col" className="num">
                Neutral
              </th>
              <th scope="col" className="num">
                Negative
              </th>
            </tr>
          </thead>
          <tbody>
            {busy.map((point) => (
              <tr key={point.date}>
                <th scope="row">
                  <AppLink to={dayHref(point.date)}>{point.date}</AppLink>
                </th>
                <td className="num">{point.total}</td>
                {SENTIMENT_SERIES.map((sentiment) => (
                  <td key={sentiment} className="num">
                    {point[sentiment] > 0 ? (
                      <AppLink to={dayHref(point.date, sentiment)}>
                        {point[sentiment]}
                        <span className="visually-hidden">
                          {' '}
                          {sentiment} on {point.date}
                        </span>
                      </AppLink>
                    ) : (
                      0
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {busy.length === 0 && <Body className="muted">No captures in these days.</Body>}
      </details>
    </Card>
  );
}
