import { type Dashboard, dashboard, NS, quantile, row, stat, ts } from './grafana.ts';
import { CAPTURE_TARGETS, HTTP_DURATION, leMatcher, SYNC_ROUTES } from './slo.ts';

const rate = (metric: string, selector = NS) => `rate(${metric}{${selector}}[$__rate_interval])`;

/** Sign-in, step-up, sessions, break-glass, org sources and SCIM. */
export function accessDashboard(): Dashboard {
  return dashboard({
    uid: 'bi-auth-access',
    title: 'Builder Insights — Auth & access',
    description:
      'Sign-ins by outcome and reason, step-ups, session ends, global logouts, break-glass, org-source freshness and SCIM provisioning.',
    items: [
      row('Sign-in and sessions'),
      ts({
        title: 'Sign-ins by outcome',
        description: 'OIDC sign-ins completed (success) or refused (failure), per second.',
        targets: [{ expr: `sum by (outcome) (${rate('bi_auth_sign_ins_total')})`, legend: '{{outcome}}' }],
        unit: 'ops',
        stack: true,
      }),
      ts({
        title: 'Sign-in failures by reason',
        description:
          'Refused sign-ins by reason (SIGN_IN_FAILURE_REASONS): a jump in one reason points at its cause.',
        targets: [
          {
            expr: `sum by (reason) (${rate('bi_auth_sign_ins_total', `${NS}, outcome="failure"`)})`,
            legend: '{{reason}}',
          },
        ],
        unit: 'ops',
        stack: true,
      }),
      ts({
        title: 'Step-ups by outcome',
        description: 'MFA step-ups for admin actions.',
        targets: [{ expr: `sum by (outcome) (${rate('bi_auth_step_ups_total')})`, legend: '{{outcome}}' }],
        unit: 'ops',
        w: 8,
      }),
      ts({
        title: 'Sessions ended by reason',
        description:
          'Sessions ended: logout, idle or absolute timeout, revocation, deactivation, global logout …',
        targets: [
          { expr: `sum by (reason) (${rate('bi_auth_sessions_ended_total')})`, legend: '{{reason}}' },
        ],
        unit: 'ops',
        stack: true,
        w: 8,
      }),
      ts({
        title: 'Global logouts by mechanism',
        description: 'Sign-outs the identity provider requested (Universal Logout or back-channel logout).',
        targets: [
          { expr: `sum by (mechanism) (${rate('bi_auth_global_logouts_total')})`, legend: '{{mechanism}}' },
        ],
        unit: 'ops',
        w: 8,
      }),
      ts({
        title: 'Auth route duration (p95)',
        description:
          '95th percentile duration per /auth route (the callback includes the token exchange with the IdP).',
        targets: [
          {
            expr: quantile(0.95, HTTP_DURATION, `${NS}, http_route=~"/auth/.*"`, ['http_route']),
            legend: '{{http_route}}',
          },
        ],
        unit: 's',
        w: 24,
      }),
      row('Break-glass'),
      stat({
        title: 'Break-glass sessions in range',
        description:
          'Break-glass sessions opened in the selected time range, by mode. Every use pages (BiBreakGlassUsed).',
        targets: [
          {
            expr: `sum by (mode) (increase(bi_break_glass_uses_total{${NS}}[$__range]))`,
            legend: '{{mode}}',
          },
        ],
        thresholds: [
          { color: 'green', value: null },
          { color: 'red', value: 0.5 },
        ],
        w: 8,
      }),
      ts({
        title: 'Refused break-glass sign-ins by reason',
        description: 'Break-glass sign-in attempts that were refused, by reason.',
        targets: [
          {
            expr: `sum by (reason) (${rate('bi_break_glass_sign_in_failures_total')})`,
            legend: '{{reason}}',
          },
        ],
        unit: 'ops',
        w: 16,
      }),
      row('Org sources and SCIM'),
      stat({
        title: 'Org source stale',
        description:
          'Whether each org source (SCIM, HR feed) is past its maximum staleness (BiOrgSourceStale).',
        targets: [{ expr: `max by (source) (bi_org_source_stale{${NS}})`, legend: '{{source}}' }],
        mappings: [
          { value: 0, text: 'fresh', color: 'green' },
          { value: 1, text: 'stale', color: 'red' },
        ],
        w: 8,
      }),
      stat({
        title: 'Since last successful org sync',
        description: 'Age of each source’s last successful sync (-1 = never synced).',
        targets: [
          { expr: `max by (source) (bi_org_source_last_success_age_seconds{${NS}})`, legend: '{{source}}' },
        ],
        unit: 's',
        mappings: [{ value: -1, text: 'never', color: 'orange' }],
        w: 16,
      }),
      ts({
        title: 'SCIM operations',
        description: 'SCIM requests from the identity provider by resource and operation.',
        targets: [
          {
            expr: `sum by (resource, operation) (${rate('bi_scim_operations_total')})`,
            legend: '{{operation}} {{resource}}',
          },
        ],
        unit: 'ops',
        stack: true,
      }),
      ts({
        title: 'SCIM outcomes',
        description:
          'SCIM requests by outcome: client errors are the IdP’s (e.g. 409 duplicate userName); server errors ours.',
        targets: [{ expr: `sum by (outcome) (${rate('bi_scim_operations_total')})`, legend: '{{outcome}}' }],
        unit: 'ops',
        stack: true,
      }),
    ],
  });
}

/** The capture outbox: server-side items and batches, client-reported outcomes, queue, offline and save speed. */
export function syncDashboard(): Dashboard {
  const attempts = `${NS}, result=~"created|duplicate|failed"`;
  return dashboard({
    uid: 'bi-capture-sync',
    title: 'Builder Insights — Capture sync',
    description:
      'Outbox items the server received by result, batch sizes, the sync routes, and what the capture apps report: their sync outcomes, queue depth, offline time and tap-to-saved (docs/analytics.md).',
    items: [
      row('Server side'),
      ts({
        title: 'Items received by result',
        description: 'Outbox items the server processed (bi_sync_items_total) by result.',
        targets: [{ expr: `sum by (result) (${rate('bi_sync_items_total')})`, legend: '{{result}}' }],
        unit: 'ops',
        stack: true,
      }),
      ts({
        title: 'Items by kind and result',
        description: 'The same items by kind (insight, attachment, edit, bug report).',
        targets: [
          { expr: `sum by (kind, result) (${rate('bi_sync_items_total')})`, legend: '{{kind}} {{result}}' },
        ],
        unit: 'ops',
      }),
      ts({
        title: 'Rejected share',
        description: 'Share of received items the server refused (BiSyncServerFailureSpike pages above 10%).',
        targets: [
          {
            expr: `sum(${rate('bi_sync_items_total', `${NS}, result="rejected"`)}) / sum(${rate('bi_sync_items_total')})`,
            legend: 'rejected',
          },
        ],
        unit: 'percentunit',
        min: 0,
        thresholds: [
          { color: 'green', value: null },
          { color: 'red', value: 0.1 },
        ],
        thresholdLines: true,
      }),
      ts({
        title: 'Batch size (p50, p95) by kind',
        description: 'Items per batch request.',
        targets: [0.5, 0.95].map((q) => ({
          expr: quantile(q, 'bi_sync_batch_size', NS, ['kind']),
          legend: `p${q * 100} {{kind}}`,
        })),
      }),
      ts({
        title: 'Sync routes by status',
        description: 'Requests to the sync routes (batch, attachments, telemetry) by status code.',
        targets: [
          {
            expr: `sum by (http_route, http_response_status_code) (${rate(`${HTTP_DURATION}_count`, `${NS}, http_route=~"${SYNC_ROUTES}"`)})`,
            legend: '{{http_route}} {{http_response_status_code}}',
          },
        ],
        unit: 'reqps',
      }),
      ts({
        title: 'Sync route duration (p95)',
        description:
          'Attachment uploads include the phone’s upload time, so they are outside the sync latency SLI.',
        targets: [
          {
            expr: quantile(0.95, HTTP_DURATION, `${NS}, http_route=~"${SYNC_ROUTES}"`, ['http_route']),
            legend: '{{http_route}}',
          },
        ],
        unit: 's',
      }),
      row('Reported by the capture apps'),
      ts({
        title: 'Client sync outcomes',
        description:
          'Outcomes the apps report per item attempt; failed = no answer or a server error (retried).',
        targets: [{ expr: `sum by (result) (${rate('bi_capture_sync_items_total')})`, legend: '{{result}}' }],
        unit: 'ops',
        stack: true,
      }),
      ts({
        title: 'Offline recovery rate (1h)',
        description:
          '(created + duplicate) / (created + duplicate + failed) over the last hour, as in docs/analytics.md.',
        targets: [
          {
            expr: `sum(increase(bi_capture_sync_items_total{${NS}, result=~"created|duplicate"}[1h])) / sum(increase(bi_capture_sync_items_total{${attempts}}[1h]))`,
            legend: 'recovery rate',
          },
        ],
        unit: 'percentunit',
        min: 0,
        max: 1,
      }),
      ts({
        title: 'Outbox queue depth (p50, p95)',
        description: 'Items waiting when a sync starts.',
        targets: [0.5, 0.95].map((q) => ({
          expr: quantile(q, 'bi_capture_queue_depth', NS),
          legend: `p${q * 100}`,
        })),
        w: 8,
      }),
      ts({
        title: 'Offline duration (p50, p95)',
        description: 'How long apps were offline before they reconnected.',
        targets: [0.5, 0.95].map((q) => ({
          expr: quantile(q, 'bi_capture_offline_duration_seconds', NS),
          legend: `p${q * 100}`,
        })),
        unit: 's',
        w: 8,
      }),
      ts({
        title: 'Reconnects and app starts',
        description: 'Times apps came back online, and app starts by installed (standalone) or browser tab.',
        targets: [
          { expr: `sum(${rate('bi_capture_reconnects_total')})`, legend: 'reconnects' },
          {
            expr: `sum by (standalone) (${rate('bi_capture_app_starts_total')})`,
            legend: 'starts standalone={{standalone}}',
          },
        ],
        unit: 'ops',
        w: 8,
      }),
      ts({
        title: 'Tap-to-saved (p50, p95) by mode',
        description: 'From the Save tap to "saved" on screen, online and offline.',
        targets: [0.5, 0.95].map((q) => ({
          expr: quantile(q, 'bi_capture_tap_to_saved_seconds', NS, ['mode']),
          legend: `p${q * 100} {{mode}}`,
        })),
        unit: 's',
      }),
      ts({
        title: `Saves under ${CAPTURE_TARGETS.tapToSavedSeconds} s by mode`,
        description: `Share of saves shown as saved within ${CAPTURE_TARGETS.tapToSavedSeconds} s (informational target ${CAPTURE_TARGETS.tapToSavedShare * 100}%, docs/slo.md).`,
        targets: [
          {
            expr: `sum by (mode) (${rate('bi_capture_tap_to_saved_seconds_bucket', `${NS}, ${leMatcher(CAPTURE_TARGETS.tapToSavedSeconds)}`)}) / sum by (mode) (${rate('bi_capture_tap_to_saved_seconds_count')})`,
            legend: '{{mode}}',
          },
        ],
        unit: 'percentunit',
        max: 1,
        thresholds: [
          { color: 'red', value: null },
          { color: 'green', value: CAPTURE_TARGETS.tapToSavedShare },
        ],
        thresholdLines: true,
      }),
      ts({
        title: 'Telemetry events by kind',
        description: 'Capture-app telemetry events stored, by kind.',
        targets: [
          { expr: `sum by (kind) (${rate('bi_capture_telemetry_events_total')})`, legend: '{{kind}}' },
        ],
        unit: 'ops',
        stack: true,
        w: 24,
      }),
    ],
  });
}
