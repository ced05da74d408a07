/**
 * The service level objectives of Builder Insights, as data: route classes (derived from the `http_route` label of
 * `http_server_request_duration_seconds` by regex; there is no class label), what each SLI counts, the objectives
 * over 28 days, and the burn-rate policy. The recording rules, alerts and dashboards are generated from here
 * (`node deploy/observability/generate.ts`); docs/slo.md explains every number.
 */

export const ROUTE_CLASSES = ['auth', 'sync', 'api', 'pages', 'scim'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

/** The histogram the HTTP SLIs are computed from (OpenTelemetry HTTP semantic conventions). */
export const HTTP_DURATION = 'http_server_request_duration_seconds';

/** Routes the capture outbox sends to: the batch, attachment uploads and the telemetry batch. */
export const SYNC_ROUTES =
  '/api/v1/insights/batch|/api/v1/insights/:id/attachments.*|/api/v1/telemetry/capture';
/** The sync routes whose bodies are small JSON (attachment uploads take as long as the phone's network). */
export const SYNC_JSON_ROUTES = '/api/v1/insights/batch|/api/v1/telemetry/capture';
/** Health probes and static assets: never part of an SLO. */
export const EXCLUDED_ROUTES = '/assets/.*|/healthz|/readyz';
/** API routes that wait on a third-party provider (speech-to-text, LLM summary): outside the api SLOs. */
export const THIRD_PARTY_ROUTES = '/api/v1/transcriptions|/api/v1/reports/executive/summary';
/** Streamed exports: their duration grows with the export's size, so they are outside the api latency SLI. */
export const STREAMED_ROUTES = '/api/v1/exports/.*';

/** The windows every SLI is recorded over (the burn-rate alerts pair them; 28 d comes from the 5 m records). */
export const WINDOWS = ['5m', '30m', '1h', '6h', '1d', '3d'] as const;
export type Window = (typeof WINDOWS)[number];

/** The period objectives are set over; the error budget is (1 - objective) of it. */
export const SLO_PERIOD = '28d';

export interface ClassSlo {
  class: RouteClass;
  /** What the class is, in words (docs and dashboard descriptions). */
  description: string;
  /** Label matchers (PromQL, inside `{}`) selecting the requests the availability SLI counts. */
  availabilityMatchers: string[];
  /** Share of those requests answered without a 5xx, over 28 days. */
  availabilityObjective: number;
  /** Label matchers selecting the requests the latency SLI counts (5xx answers are left out: they are errors). */
  latencyMatchers: string[];
  /** Seconds: an upper bound of a histogram bucket (0.25, 0.5, 1, 2.5). */
  latencyThreshold: number;
  /** Share of latency-SLI requests answered within the threshold, over 28 days. */
  latencyObjective: number;
}

const route = (op: '=' | '=~' | '!~', value: string) => `http_route${op}"${value}"`;

export const CLASS_SLOS: readonly ClassSlo[] = [
  {
    class: 'auth',
    description: 'sign-in, step-up, logout, global logout and break-glass (/auth/*)',
    availabilityMatchers: [route('=~', '/auth/.*')],
    availabilityObjective: 0.999,
    latencyMatchers: [route('=', '/auth/callback')],
    latencyThreshold: 2.5,
    latencyObjective: 0.99,
  },
  {
    class: 'sync',
    description: 'the capture outbox: insight batches, attachment uploads, telemetry batches',
    availabilityMatchers: [route('=~', SYNC_ROUTES)],
    availabilityObjective: 0.999,
    latencyMatchers: [route('=~', SYNC_JSON_ROUTES)],
    latencyThreshold: 1,
    latencyObjective: 0.99,
  },
  {
    class: 'api',
    description: 'the JSON API (/api/*) except sync and the third-party-backed routes',
    availabilityMatchers: [route('=~', '/api/.*'), route('!~', `${SYNC_ROUTES}|${THIRD_PARTY_ROUTES}`)],
    availabilityObjective: 0.995,
    latencyMatchers: [
      route('=~', '/api/.*'),
      route('!~', `${SYNC_ROUTES}|${THIRD_PARTY_ROUTES}|${STREAMED_ROUTES}`),
    ],
    latencyThreshold: 0.5,
    latencyObjective: 0.99,
  },
  {
    class: 'pages',
    description: 'web app shells, public form pages and everything else, except assets and health probes',
    availabilityMatchers: [route('!~', `/api/.*|/auth/.*|/scim/v2/.*|${EXCLUDED_ROUTES}`)],
    availabilityObjective: 0.999,
    latencyMatchers: [route('!~', `/api/.*|/auth/.*|/scim/v2/.*|${EXCLUDED_ROUTES}`)],
    latencyThreshold: 0.25,
    latencyObjective: 0.99,
  },
  {
    class: 'scim',
    description: 'SCIM 2.0 provisioning from the identity provider (/scim/v2/*)',
    availabilityMatchers: [route('=~', '/scim/v2/.*')],
    availabilityObjective: 0.995,
    latencyMatchers: [route('=~', '/scim/v2/.*')],
    latencyThreshold: 1,
    latencyObjective: 0.99,
  },
];

/** A 5xx answer is a failure; 4xx (including 429) is the server doing its job. */
export const SERVER_ERROR = 'http_response_status_code=~"5.."';
export const NOT_SERVER_ERROR = 'http_response_status_code!~"5.."';

/**
 * The bucket matcher for a threshold. Prometheus 3 normalizes classic-histogram `le` values to float text
 * (`1` becomes `1.0`), Prometheus 2 keeps what the target sent (`1`): whole numbers match both.
 */
export function leMatcher(threshold: number): string {
  return Number.isInteger(threshold) ? `le=~"${threshold}(\\\\.0)?"` : `le="${threshold}"`;
}

/** Multi-window, multi-burn-rate alerting (Google SRE workbook, chapter 5), per SLO. */
export interface BurnPolicy {
  name: 'FastBurn' | 'SlowBurn' | 'BudgetBurn';
  severity: 'page' | 'ticket';
  long: Window;
  short: Window;
  factor: number;
  for: string;
  /** Share of the 28-day budget spent when the long window burns at exactly the factor. */
  budgetSpent: string;
  /** How long the whole 28-day budget lasts at exactly the factor. */
  budgetLasts: string;
}

export const BURN_POLICIES: readonly BurnPolicy[] = [
  {
    name: 'FastBurn',
    severity: 'page',
    long: '1h',
    short: '5m',
    factor: 14.4,
    for: '2m',
    budgetSpent: '2%',
    budgetLasts: '2 days',
  },
  {
    name: 'SlowBurn',
    severity: 'page',
    long: '6h',
    short: '30m',
    factor: 6,
    for: '15m',
    budgetSpent: '5%',
    budgetLasts: '5 days',
  },
  {
    name: 'BudgetBurn',
    severity: 'ticket',
    long: '3d',
    short: '6h',
    factor: 1,
    for: '1h',
    budgetSpent: '10%',
    budgetLasts: '28 days',
  },
];

/** Capture-app targets: informational (client-measured, not alerted on), shown on the Capture sync dashboard. */
export const CAPTURE_TARGETS = {
  tapToSavedSeconds: 1,
  tapToSavedShare: 0.95,
} as const;

/** Where the runbook lives, relative to the repository root (RUNBOOK_BASE_URL makes it absolute). */
export const RUNBOOK_PATH = 'docs/operations/alerts.md';
