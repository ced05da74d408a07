import { describe, expect, it } from 'vitest';
import type { MetricSnapshot } from '../../src/server/observability/metrics.ts';
import { formatValue, renderPrometheus } from '../../src/server/observability/prometheus.ts';

describe('Prometheus text exposition', () => {
  it('writes HELP and TYPE once per metric, escapes help text and label values, sorts labels', () => {
    const metrics: MetricSnapshot[] = [
      {
        name: 'bi_things_total',
        help: 'Things\\counted\nacross lines',
        type: 'counter',
        samples: [{ labels: { z: 'last', a: 'say "hi"\\\nbye' }, value: 3 }],
      },
      { name: 'bi_level', help: 'A level', type: 'gauge', samples: [{ labels: {}, value: -1.5 }] },
    ];
    expect(renderPrometheus(metrics)).toBe(
      [
        '# HELP bi_level A level',
        '# TYPE bi_level gauge',
        'bi_level -1.5',
        '# HELP bi_things_total Things\\\\counted\\nacross lines',
        '# TYPE bi_things_total counter',
        'bi_things_total{a="say \\"hi\\"\\\\\\nbye",z="last"} 3',
        '',
      ].join('\n'),
    );
  });

  it('writes a histogram as cumulative buckets ending in +Inf, then _sum and _count', () => {
    const text = renderPrometheus([
      {
        name: 'x_seconds',
        help: 'X',
        type: 'histogram',
        samples: [
          {
            labels: { route: '/a/:id' },
            value: 3,
            histogram: {
              sum: 0.75,
              buckets: [
                { le: 0.1, count: 1 },
                { le: 1, count: 3 },
                { le: Number.POSITIVE_INFINITY, count: 3 },
              ],
            },
          },
        ],
      },
    ]);
    expect(text.split('\n').slice(2, 7)).toEqual([
      'x_seconds_bucket{route="/a/:id",le="0.1"} 1',
      'x_seconds_bucket{route="/a/:id",le="1"} 3',
      'x_seconds_bucket{route="/a/:id",le="+Inf"} 3',
      'x_seconds_sum{route="/a/:id"} 0.75',
      'x_seconds_count{route="/a/:id"} 3',
    ]);
  });

  it('names the special values', () => {
    expect(
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, 0].map(formatValue),
    ).toEqual(['NaN', '+Inf', '-Inf', '1e+21', '0']);
  });
});
