import type { Labels, MetricSnapshot } from './metrics.ts';

/**
 * The Prometheus text exposition format 0.0.4: per metric a `# HELP` and `# TYPE` line, then one line per
 * series. A histogram `x` is written as cumulative `x_bucket{le="…"}` lines ending with `le="+Inf"`, then `x_sum`
 * and `x_count`. Counters keep their `_total` names. Label values are escaped (backslash, double quote, line
 * feed); help text escapes backslash and line feed.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabelValue = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** A sample value as Prometheus writes it: integers plainly, +Inf / -Inf / NaN by name. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return '';
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

export function renderPrometheus(metrics: readonly MetricSnapshot[]): string {
  const lines: string[] = [];
  for (const metric of [...metrics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`);
    lines.push(`# TYPE ${metric.name} ${metric.type}`);
    for (const sample of metric.samples) {
      if (metric.type !== 'histogram' || !sample.histogram) {
        lines.push(`${metric.name}${labelText(sample.labels)} ${formatValue(sample.value)}`);
        continue;
      }
      for (const bucket of sample.histogram.buckets)
        lines.push(
          `${metric.name}_bucket${labelText(sample.labels, ['le', formatValue(bucket.le)])} ${bucket.count}`,
        );
      lines.push(`${metric.name}_sum${labelText(sample.labels)} ${formatValue(sample.histogram.sum)}`);
      lines.push(`${metric.name}_count${labelText(sample.labels)} ${sample.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
