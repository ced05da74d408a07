import { accessDashboard, syncDashboard } from './dashboards-domain.ts';
import { jobsAuditDashboard } from './dashboards-jobs.ts';
import { type Dashboard, dashboard, NS, quantile, row, stat, ts } from './grafana.ts';
import { RECORD } from './recording-rules.ts';
import { BURN_POLICIES, CLASS_SLOS, EXCLUDED_ROUTES, HTTP_DURATION, ROUTE_CLASSES } from './slo.ts';

/** The HTTP service as a whole: rate, errors and duration per route class and per route, and the process. */
function redDashboard(): Dashboard {
  const routes = `${NS}, http_route!~"${EXCLUDED_ROUTES}"`;
  const count = `${HTTP_DURATION}_count`;
  const perClassQuantile = (q: number) =>
    CLASS_SLOS.map((s) => ({
      expr: quantile(q, HTTP_DURATION, [NS, ...s.availabilityMatchers].join(', ')),
      legend: s.class,
    }));
  return dashboard({
    uid: 'bi-red',
    title: 'Builder Insights — RED',
    description:
      'Rate, errors and duration of the HTTP server per route class (the SLO scopes of docs/slo.md) and per route; health probes and static assets are left out.',
    items: [
      row('Route classes'),
      ts({
        title: 'Requests per second by class',
        description: 'All requests of each route class (5-minute rate, from the recording rules).',
        targets: [{ expr: `sum by (class) (${RECORD.requests('5m')}{${NS}})`, legend: '{{class}}' }],
        unit: 'reqps',
        min: 0,
      }),
      ts({
        title: 'Server error ratio by class',
        description: 'Share of requests answered 5xx (4xx, including 429, is not an error).',
        targets: [{ expr: `${RECORD.errorRatio('5m')}{${NS}}`, legend: '{{class}} {{namespace}}' }],
        unit: 'percentunit',
        min: 0,
      }),
      ts({
        title: 'Share slower than the class threshold',
        description:
          'Of the requests the latency SLI counts, the share slower than the class threshold (auth 2.5 s, sync 1 s, api 0.5 s, pages 0.25 s, scim 1 s).',
        targets: [{ expr: `${RECORD.slowRatio('5m')}{${NS}}`, legend: '{{class}} {{namespace}}' }],
        unit: 'percentunit',
        min: 0,
      }),
      ts({
        title: 'p95 duration by class',
        description:
          '95th percentile request duration per route class, interpolated within histogram buckets.',
        targets: perClassQuantile(0.95),
        unit: 's',
        min: 0,
      }),
      ts({
        title: 'p99 duration by class',
        description:
          '99th percentile request duration per route class, interpolated within histogram buckets.',
        targets: perClassQuantile(0.99),
        unit: 's',
        min: 0,
      }),
      ts({
        title: 'Responses by status code',
        description: 'Every route except assets and health probes, by HTTP status code.',
        targets: [
          {
            expr: `sum by (http_response_status_code) (rate(${count}{${routes}}[$__rate_interval]))`,
            legend: '{{http_response_status_code}}',
          },
        ],
        unit: 'reqps',
        stack: true,
      }),
      row('Top routes'),
      ts({
        title: 'Busiest routes',
        description: 'The ten routes with the most requests (route template and method).',
        targets: [
          {
            expr: `topk(10, sum by (http_request_method, http_route) (rate(${count}{${routes}}[$__rate_interval])))`,
            legend: '{{http_request_method}} {{http_route}}',
          },
        ],
        unit: 'reqps',
      }),
      ts({
        title: 'Routes answering server errors',
        description: 'Routes with 5xx answers, by status code (`unmatched` = no route).',
        targets: [
          {
            expr: `topk(10, sum by (http_request_method, http_route, http_response_status_code) (rate(${count}{${routes}, http_response_status_code=~"5.."}[$__rate_interval]))) > 0`,
            legend: '{{http_request_method}} {{http_route}} {{http_response_status_code}}',
          },
        ],
        unit: 'reqps',
      }),
      ts({
        title: 'Slowest routes (p95)',
        description: 'The ten routes with the highest 95th percentile duration.',
        targets: [
          {
            expr: `topk(10, ${quantile(0.95, HTTP_DURATION, routes, ['http_request_method', 'http_route'])})`,
            legend: '{{http_request_method}} {{http_route}}',
          },
        ],
        unit: 's',
        w: 24,
      }),
      row('Process'),
      ts({
        title: 'Memory',
        description: 'Resident set size and V8 heap per replica.',
        targets: [
          { expr: `process_resident_memory_bytes{${NS}}`, legend: 'rss {{instance}}' },
          { expr: `process_heap_bytes{${NS}}`, legend: 'heap {{instance}}' },
        ],
        unit: 'bytes',
        min: 0,
        w: 8,
      }),
      ts({
        title: 'CPU',
        description: 'CPU seconds used per second, per replica.',
        targets: [
          { expr: `rate(process_cpu_seconds_total{${NS}}[$__rate_interval])`, legend: '{{instance}}' },
        ],
        unit: 'percentunit',
        min: 0,
        w: 8,
      }),
      ts({
        title: 'Event loop delay p99',
        description:
          'How late the event loop runs timers (99th percentile): high values delay every request.',
        targets: [{ expr: `nodejs_eventloop_delay_p99_seconds{${NS}}`, legend: '{{instance}}' }],
        unit: 's',
        min: 0,
        w: 8,
      }),
      stat({
        title: 'Replicas by version',
        description: 'Running replicas per build version and environment (bi_build_info).',
        targets: [
          { expr: `count by (version, env) (bi_build_info{${NS}})`, legend: '{{version}} ({{env}})' },
        ],
        w: 12,
        h: 5,
      }),
      stat({
        title: 'Uptime',
        description: 'Time since each replica started: a short uptime means a recent restart.',
        targets: [{ expr: `time() - process_start_time_seconds{${NS}}`, legend: '{{instance}}' }],
        unit: 's',
        w: 12,
        h: 5,
      }),
    ],
  });
}

/** Error budgets and burn rates per route class, from the recording rules. */
function sloDashboard(): Dashboard {
  const sel = `${NS}, class=~"$class"`;
  const budget = (record: string) => ({ expr: `${record}{${sel}}`, legend: '{{class}}' });
  const budgetThresholds = [
    { color: 'red', value: null },
    { color: 'orange', value: 0 },
    { color: 'green', value: 0.25 },
  ];
  const burnLines = [
    { color: 'green', value: null },
    ...[...BURN_POLICIES]
      .reverse()
      .map((p, i) => ({ color: ['yellow', 'orange', 'red'][i] ?? 'red', value: p.factor })),
  ];
  const burns = (record: (w: string) => string) =>
    (['1h', '6h', '3d'] as const).map((w) => ({ expr: `${record(w)}{${sel}}`, legend: `{{class}} ${w}` }));
  return dashboard({
    uid: 'bi-slo',
    title: 'Builder Insights — SLO burn',
    description:
      'Error budget left over 28 days and burn rates (1 = spending exactly the budget) per route class. Page thresholds: 14.4x over 1h and 5m, 6x over 6h and 30m; ticket: 1x over 3d and 6h (docs/slo.md).',
    time: 'now-7d',
    variables: [
      {
        name: 'class',
        label: 'Route class',
        type: 'custom',
        query: ROUTE_CLASSES.join(','),
        current: {},
        hide: 0,
        includeAll: true,
        allValue: '.*',
        multi: true,
        options: [],
      },
    ],
    items: [
      row('Error budget left (28 days)'),
      stat({
        title: 'Availability budget left',
        description:
          '1 - (5xx share over 28 days) / (1 - objective). Below 0: the objective is missed for the period.',
        targets: [budget(RECORD.availabilityBudgetRemaining)],
        unit: 'percentunit',
        thresholds: budgetThresholds,
      }),
      stat({
        title: 'Latency budget left',
        description:
          '1 - (share slower than the threshold over 28 days) / (1 - objective). Below 0: the objective is missed.',
        targets: [budget(RECORD.latencyBudgetRemaining)],
        unit: 'percentunit',
        thresholds: budgetThresholds,
      }),
      row('Burn rates'),
      ts({
        title: 'Availability burn rate',
        description: 'Error ratio divided by the error budget (1 - objective), over 1h, 6h and 3d.',
        targets: burns(RECORD.availabilityBurn),
        thresholds: burnLines,
        thresholdLines: true,
        min: 0,
      }),
      ts({
        title: 'Latency burn rate',
        description: 'Slow-request ratio divided by the latency budget (1 - objective), over 1h, 6h and 3d.',
        targets: burns(RECORD.latencyBurn),
        thresholds: burnLines,
        thresholdLines: true,
        min: 0,
      }),
      row('Against the objectives'),
      ts({
        title: 'Server error ratio vs budget',
        description: '5xx share over 28 days (from 5-minute records) and the budget it may use.',
        targets: [
          { expr: `${RECORD.errorRatio('28d')}{${sel}}`, legend: '{{class}} 28d' },
          { expr: `1 - ${RECORD.availabilityObjective}{class=~"$class"}`, legend: '{{class}} budget' },
        ],
        unit: 'percentunit',
        min: 0,
      }),
      ts({
        title: 'Slow ratio vs budget',
        description: 'Share slower than the class threshold over 28 days, and the budget it may use.',
        targets: [
          { expr: `${RECORD.slowRatio('28d')}{${sel}}`, legend: '{{class}} 28d' },
          { expr: `1 - ${RECORD.latencyObjective}{class=~"$class"}`, legend: '{{class}} budget' },
        ],
        unit: 'percentunit',
        min: 0,
      }),
      ts({
        title: 'Requests in SLO scope',
        description: 'Request rate per class (a class with little traffic burns its budget in few requests).',
        targets: [{ expr: `${RECORD.requests('5m')}{${sel}}`, legend: '{{class}} {{namespace}}' }],
        unit: 'reqps',
        min: 0,
        w: 24,
      }),
    ],
  });
}

export function dashboards(): Dashboard[] {
  return [redDashboard(), accessDashboard(), syncDashboard(), jobsAuditDashboard(), sloDashboard()];
}
