import { palette } from '@leafygreen-ui/palette';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { CountRow } from '../../../../contract/api/common.ts';
import type { TrendPoint } from '../../../../contract/api/reporting.ts';

/** ECharts options of the dashboard, built from the server's numbers (types only: no chart code here). */

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

export const SENTIMENT_SERIES = ['positive', 'neutral', 'negative'] as const;
const SENTIMENT_COLOR = {
  positive: palette.green.dark1,
  neutral: palette.gray.base,
  negative: palette.red.base,
} as const;
const SENTIMENT_NAME = { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' } as const;

const dayFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
export const shortDay = (date: string) => dayFormat.format(new Date(`${date}T00:00:00Z`));

const axis = {
  axisLabel: { color: palette.gray.dark1 },
  axisLine: { lineStyle: { color: palette.gray.light1 } },
};

/** Daily captures per sentiment, stacked, under the line of the daily total. */
export function trendOption(trend: TrendPoint[]): ChartOption {
  return {
    animation: false,
    grid: { left: 40, right: 16, top: 36, bottom: 32 },
    legend: { top: 0, textStyle: { color: palette.gray.dark2 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: trend.map((point) => shortDay(point.date)), ...axis },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { color: palette.gray.dark1 },
      splitLine: { lineStyle: { color: palette.gray.light2 } },
    },
    series: [
      ...SENTIMENT_SERIES.map(
        (sentiment): BarSeriesOption => ({
          id: sentiment,
          type: 'bar',
          stack: 'sentiment',
          name: SENTIMENT_NAME[sentiment],
          data: trend.map((point) => point[sentiment]),
          itemStyle: { color: SENTIMENT_COLOR[sentiment] },
          barMaxWidth: 14,
          cursor: 'pointer',
        }),
      ),
      {
        id: 'total',
        type: 'line',
        name: 'Total',
        data: trend.map((point) => point.total),
        itemStyle: { color: palette.blue.dark1 },
        lineStyle: { width: 2 },
        symbolSize: 5,
        cursor: 'pointer',
      },
    ],
  };
}

/** One sentence about the trend for screen readers: the sum, the busiest day and the sentiment mix. */
export function trendSummary(trend: TrendPoint[]): string {
  const first = trend[0];
  const last = trend.at(-1);
  if (first === undefined || last === undefined) return 'No days to show.';
  const sum = trend.reduce((total, point) => total + point.total, 0);
  const span = `${shortDay(first.date)} to ${shortDay(last.date)}`;
  if (sum === 0) return `Daily captures from ${span}: none.`;
  const peak = trend.reduce((best, point) => (point.total > best.total ? point : best));
  const negative = trend.reduce((total, point) => total + point.negative, 0);
  const positive = trend.reduce((total, point) => total + point.positive, 0);
  return (
    `Daily captures from ${span}: ${sum} in all, ${positive} positive and ${negative} negative; ` +
    `busiest day ${shortDay(peak.date)} with ${peak.total}.`
  );
}

/** A breakdown as horizontal bars, largest category on top, the count at the end of each bar. */
export function barOption(rows: CountRow[], color: string = palette.green.dark1): ChartOption {
  const ordered = [...rows].reverse(); // ECharts draws the first category at the bottom
  return {
    animation: false,
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', minInterval: 1, show: false },
    yAxis: { type: 'category', data: ordered.map((row) => row.label), ...axis },
    series: [
      {
        type: 'bar',
        name: 'Insights',
        data: ordered.map((row) => ({
          value: row.count,
          itemStyle: { color: row.count === 0 ? palette.gray.light2 : color },
        })),
        label: { show: true, position: 'right', color: palette.gray.dark2 },
        barMaxWidth: 18,
        cursor: 'pointer',
      },
    ],
  };
}

/** The row a bar of barOption stands for (its categories are drawn in reverse). */
export const barRow = (rows: CountRow[], dataIndex: number) => rows[rows.length - 1 - dataIndex];

/** A breakdown as a ring, each slice labelled with its name and count. */
export function pieOption(rows: CountRow[], colors: Record<string, string> = SENTIMENT_COLOR): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    series: [
      {
        type: 'pie',
        name: 'Insights',
        radius: ['40%', '70%'],
        data: rows
          .filter((row) => row.count > 0)
          .map((row) => ({
            name: row.label,
            value: row.count,
            itemStyle: colors[row.key] === undefined ? {} : { color: colors[row.key] },
          })),
        label: { formatter: '{b}: {c}', color: palette.gray.dark2 },
        cursor: 'pointer',
      },
    ],
  };
}

/** The row a pie slice stands for (zero rows have no slice). */
export const pieRow = (rows: CountRow[], dataIndex: number) => rows.filter((row) => row.count > 0)[dataIndex];

/** "Pain Point 12, Bug Report 4, … (23 in all)": a breakdown in one sentence, zeros left out. */
export function breakdownSummary(title: string, rows: CountRow[]): string {
  const nonZero = rows.filter((row) => row.count > 0);
  if (nonZero.length === 0) return `${title}: no insights.`;
  const parts = nonZero.map((row) => `${row.label} ${row.count}`).join(', ');
  return `${title}: ${parts}.`;
}
