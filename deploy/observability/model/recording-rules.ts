import {
  CLASS_SLOS,
  type ClassSlo,
  HTTP_DURATION,
  leMatcher,
  NOT_SERVER_ERROR,
  SERVER_ERROR,
  SLO_PERIOD,
  WINDOWS,
  type Window,
} from './slo.ts';

/**
 * Recording rules for the HTTP SLOs. Every rule keeps the `namespace` label (absent outside Kubernetes, which is
 * harmless) and adds `class`; everything else is summed away, so one series per class and environment remains.
 * Names follow the Prometheus convention level:metric:operations (`class:bi_http_requests:rate5m`).
 */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export const RECORD = {
  requests: (w: string) => `class:bi_http_requests:rate${w}`,
  errors: (w: string) => `class:bi_http_request_errors:rate${w}`,
  errorRatio: (w: string) => `class:bi_http_request_errors:ratio_rate${w}`,
  latencyRequests: (w: string) => `class:bi_http_latency_sli_requests:rate${w}`,
  fastRequests: (w: string) => `class:bi_http_latency_sli_fast_requests:rate${w}`,
  slowRatio: (w: string) => `class:bi_http_request_slow:ratio_rate${w}`,
  availabilityObjective: 'class:bi_slo_availability:objective',
  latencyObjective: 'class:bi_slo_latency:objective',
  availabilityBurn: (w: string) => `class:bi_slo_availability:burnrate${w}`,
  latencyBurn: (w: string) => `class:bi_slo_latency:burnrate${w}`,
  availabilityBudgetRemaining: 'class:bi_slo_availability:error_budget_remaining',
  latencyBudgetRemaining: 'class:bi_slo_latency:error_budget_remaining',
} as const;

const matchers = (...parts: string[]) => `{${parts.join(', ')}}`;

/** One class's term: the selected series summed per namespace, labelled with the class. */
function classTerm(slo: ClassSlo, series: string, selector: string, w: Window): string {
  return `label_replace(sum by (namespace) (rate(${series}${selector}[${w}])), "class", "${slo.class}", "", "")`;
}

/** The per-class terms joined with `or` (their label sets differ by `class`, so every one is kept). */
function perClass(term: (slo: ClassSlo) => string): string {
  return CLASS_SLOS.map(term).join('\nor\n');
}

function windowRules(w: Window): RecordingRule[] {
  const count = `${HTTP_DURATION}_count`;
  const bucket = `${HTTP_DURATION}_bucket`;
  return [
    {
      record: RECORD.requests(w),
      expr: perClass((s) => classTerm(s, count, matchers(...s.availabilityMatchers), w)),
    },
    {
      // A class with requests but no 5xx series yet records 0, not nothing, so its ratio is 0 rather than absent.
      record: RECORD.errors(w),
      expr: `${perClass((s) => classTerm(s, count, matchers(...s.availabilityMatchers, SERVER_ERROR), w))}\nor\n0 * ${RECORD.requests(w)}`,
    },
    { record: RECORD.errorRatio(w), expr: `${RECORD.errors(w)}\n/\n${RECORD.requests(w)}` },
    {
      record: RECORD.latencyRequests(w),
      expr: perClass((s) => classTerm(s, count, matchers(...s.latencyMatchers, NOT_SERVER_ERROR), w)),
    },
    {
      record: RECORD.fastRequests(w),
      expr: perClass((s) =>
        classTerm(
          s,
          bucket,
          matchers(...s.latencyMatchers, NOT_SERVER_ERROR, leMatcher(s.latencyThreshold)),
          w,
        ),
      ),
    },
    { record: RECORD.slowRatio(w), expr: `1 - ${RECORD.fastRequests(w)} / ${RECORD.latencyRequests(w)}` },
  ];
}

function burnRules(w: string): RecordingRule[] {
  return [
    {
      record: RECORD.availabilityBurn(w),
      expr: `${RECORD.errorRatio(w)}\n/ on (class) group_left ()\n(1 - ${RECORD.availabilityObjective})`,
    },
    {
      record: RECORD.latencyBurn(w),
      expr: `${RECORD.slowRatio(w)}\n/ on (class) group_left ()\n(1 - ${RECORD.latencyObjective})`,
    },
  ];
}

function objectiveRules(): RecordingRule[] {
  return CLASS_SLOS.flatMap((s) => [
    {
      record: RECORD.availabilityObjective,
      expr: `vector(${s.availabilityObjective})`,
      labels: { class: s.class },
    },
    { record: RECORD.latencyObjective, expr: `vector(${s.latencyObjective})`, labels: { class: s.class } },
  ]);
}

/**
 * The 28-day ratios come from the 5-minute records (sum over time of both rates, so busy hours weigh more than
 * quiet ones, as they should), which is far cheaper than a 28-day range over the raw histogram.
 */
function periodRules(): RecordingRule[] {
  const p = SLO_PERIOD;
  return [
    {
      record: RECORD.errorRatio(p),
      expr: `sum_over_time(${RECORD.errors('5m')}[${p}])\n/\nsum_over_time(${RECORD.requests('5m')}[${p}])`,
    },
    {
      record: RECORD.slowRatio(p),
      expr: `1 - sum_over_time(${RECORD.fastRequests('5m')}[${p}])\n/\nsum_over_time(${RECORD.latencyRequests('5m')}[${p}])`,
    },
    ...burnRules(p),
    {
      record: RECORD.availabilityBudgetRemaining,
      expr: `1 - ${RECORD.availabilityBurn(p)}`,
    },
    {
      record: RECORD.latencyBudgetRemaining,
      expr: `1 - ${RECORD.latencyBurn(p)}`,
    },
  ];
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: RecordingRule[];
}

/**
 * Rules in a group run in order at the same timestamp, so later rules read the earlier ones' fresh results: one
 * group per concern keeps the SLI → ratio → burn rate chain consistent within an evaluation.
 */
export function recordingRuleGroups(): RuleGroup[] {
  return [
    { name: 'bi-slo-objectives', rules: objectiveRules() },
    { name: 'bi-slo-sli', rules: WINDOWS.flatMap((w) => [...windowRules(w), ...burnRules(w)]) },
    {
      name: 'bi-slo-period',
      interval: '5m',
      rules: periodRules(),
    },
  ];
}
