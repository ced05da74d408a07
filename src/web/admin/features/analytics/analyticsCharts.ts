import { palette } from '@leafygreen-ui/palette';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { AnalyticsRatio, AnalyticsSeries } from '../../../../contract/api/analytics.ts';
import type { ChartOption } from '../dashboard/chartOptions.ts';

/** ECharts options of the analytics page (types only: the chart code loads with the first chart). */

const COLORS = [
  palette.blue.base,
  palette.green.dark1,
  palette.yellow.base,
  palette.purple.base,
  palette.red.base,
  palette.gray.base,
  palette.blue.light1,
  palette.green.base,
];

const axis = {
  axisLabel: { color: palette.gray.dark1 },
  axisLine: { lineStyle: { color: palette.gray.light1 } },
};
const valueAxis = {
  type: 'value' as const,
  axisLabel: { color: palette.gray.dark1 },
  splitLine: { lineStyle: { color: palette.gray.light2 } },
};
const frame = {
  animation: false,
  grid: { left: 48, right: 16, top: 40, bottom: 32 },
  legend: { top: 0, type: 'scroll' as const, textStyle: { color: palette.gray.dark2 } },
  tooltip: { trigger: 'axis' as const },
};

/**
 * Bars per series side by side (or stacked when the series add up to the total), under an optional line for
 * the total. Series beyond the palette's eight colours reuse them.
 */
export function seriesOption(
  labels: string[],
  bars: AnalyticsSeries[],
  options: { stack?: boolean; line?: AnalyticsSeries } = {},
): ChartOption {
  const series: (BarSeriesOption | LineSeriesOption)[] = bars.map((s, i) => ({
    type: 'bar',
    name: s.label,
    data: s.values,
    ...(options.stack ? { stack: 'total' } : {}),
    itemStyle: { color: COLORS[i % COLORS.length] },
    barMaxWidth: 18,
  }));
  if (options.line)
    series.push({
      type: 'line',
      name: options.line.label,
      data: options.line.values,
      itemStyle: { color: palette.black },
      lineStyle: { width: 2 },
      symbolSize: 5,
    });
  return {
    ...frame,
    xAxis: { type: 'category', data: labels, ...axis },
    yAxis: { ...valueAxis, minInterval: 1 },
    series,
  };
}

/** Ratios as percentages per period (a gap where a period has no denominator). */
export function ratioOption(
  labels: string[],
  lines: { name: string; values: AnalyticsRatio[] }[],
): ChartOption {
  return {
    ...frame,
    xAxis: { type: 'category', data: labels, ...axis },
    yAxis: { ...valueAxis, min: 0, max: 100, axisLabel: { ...valueAxis.axisLabel, formatter: '{value}%' } },
    series: lines.map(
      (line, i): LineSeriesOption => ({
        type: 'line',
        name: line.name,
        data: line.values.map((r) => (r.value === null ? null : Math.round(r.value * 1000) / 10)),
        connectNulls: false,
        itemStyle: { color: COLORS[i % COLORS.length] },
        symbolSize: 5,
      }),
    ),
  };
}

/** "42.9%" (one decimal), or an em dash when there is nothing to divide by. */
export function percent(ratio: AnalyticsRatio): string {
  return ratio.value === null ? '—' : `${(Math.round(ratio.value * 1000) / 10).toFixed(1)}%`;
}

/** Milliseconds as a short duration: "850 ms", "12 s", "4.5 min", "2.1 h". */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 6000) / 10} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}
