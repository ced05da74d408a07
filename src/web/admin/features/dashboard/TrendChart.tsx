import { Card } from '@leafygreen-ui/card';
import { palette } from '@leafygreen-ui/palette';
import { Body, H3 } from '@leafygreen-ui/typography';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption, EChartsType } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';
import type { DashboardSummary } from '../../../../contract/api/insights.ts';

type TrendPoint = DashboardSummary['trend'][number];
type TrendOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const shortDay = (date: string) => dayLabel.format(new Date(`${date}T00:00:00Z`));

function chartOption(trend: TrendPoint[]): TrendOption {
  return {
    animation: false,
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: trend.map((point) => shortDay(point.date)),
      axisLabel: { color: palette.gray.dark1 },
      axisLine: { lineStyle: { color: palette.gray.light1 } },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { color: palette.gray.dark1 },
      splitLine: { lineStyle: { color: palette.gray.light2 } },
    },
    series: [
      {
        type: 'bar',
        name: 'Insights',
        data: trend.map((point) => point.count),
        itemStyle: { color: palette.green.dark1, borderRadius: [2, 2, 0, 0] },
        barMaxWidth: 24,
      },
    ],
  };
}

function summaryText(trend: TrendPoint[], days: number): string {
  const sum = trend.reduce((total, point) => total + point.count, 0);
  if (sum === 0) return `No insights captured in the last ${days} days.`;
  const peak = trend.reduce((best, point) => (point.count > best.count ? point : best));
  return `${sum} insights captured in the last ${days} days; busiest day ${shortDay(peak.date)} with ${peak.count}.`;
}

/** Daily captures for the period. The canvas is decoration for sighted readers; the table says the same. */
export function TrendChart({ trend, days }: { trend: TrendPoint[]; days: number }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    import('./echarts.ts')
      .then(({ init }) => {
        if (cancelled || container.current === null) return;
        chart.current = init(container.current, undefined, { renderer: 'canvas' });
        observer = new ResizeObserver(() => chart.current?.resize());
        observer.observe(container.current);
        setReady(true);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) chart.current?.setOption(chartOption(trend), { notMerge: true });
  }, [trend, ready]);

  return (
    <Card className="trend">
      <H3 as="h2" className="dist__title">
        Daily captures
      </H3>
      <Body className="trend__summary">{summaryText(trend, days)}</Body>
      {failed ? (
        <Body>The chart could not be loaded; the numbers are in the table for screen readers.</Body>
      ) : (
        <div ref={container} className="trend__chart" aria-hidden="true" data-testid="trend-chart" />
      )}
      <table className="visually-hidden">
        <caption>Insights captured per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Insights</th>
          </tr>
        </thead>
        <tbody>
          {trend.map((point) => (
            <tr key={point.date}>
              <th scope="row">{point.date}</th>
              <td>{point.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
