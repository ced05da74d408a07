import { RECORD } from './recording-rules.ts';
import { BURN_POLICIES, HTTP_DURATION, RUNBOOK_PATH } from './slo.ts';

/**
 * Every alert rule. Severity `page` wakes someone (the budget or a security control is at risk now); `ticket`
 * is work for the next business day. Each alert links to its section of docs/operations/alerts.md.
 */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  severity: 'page' | 'ticket';
  labels?: Record<string, string>;
  summary: string;
  description: string;
}

/**
 * The application labels job metrics with `job_name`: Prometheus owns `job` (the scrape job, here
 * builder-insights), and an application `job` label would be renamed `job_name` at scrape time.
 */
export const JOB_NAME_LABEL = 'job_name';
/** The Prometheus scrape job of the application's metrics port. */
export const SCRAPE_JOB = 'builder-insights';

/**
 * Jobs whose failure quietly weakens a control, the audit trail or retention, with nothing else to notice it:
 * BiJobFailing watches these. (org-staleness only logs: the staleness metrics are read at scrape time anyway.)
 */
export const CRITICAL_JOBS = [
  'idp-probe',
  'exception-expiry',
  'cleanup',
  'audit-checkpoint',
  'audit-verify',
  'audit-archive',
] as const;

/** Seconds without a success after which a job counts as stale: about three of its intervals, more for slow ones. */
export const JOB_STALE_AFTER: Record<string, number> = {
  'idp-probe': 600,
  'exception-expiry': 600,
  'audit-checkpoint': 600,
  'org-staleness': 1800,
  cleanup: 3600,
  'access-review-reminders': 3 * 3600,
  'audit-verify': 3 * 3600,
  'weekly-digest': 3 * 3600,
  'audit-archive': 2 * 86400,
  'readiness-snapshot': 2 * 86400,
};

/** The GitHub heading anchor of an alert's runbook section (`## BiJobStale` → `bijobstale`). */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}

export function runbookUrl(alert: string, base = ''): string {
  return `${base}${RUNBOOK_PATH}#${runbookAnchor(alert)}`;
}

const J = JOB_NAME_LABEL;
const byNs = 'max by (namespace)';

function sloAlerts(): AlertRule[] {
  const slis = [
    {
      name: 'Availability',
      burn: RECORD.availabilityBurn,
      what: 'server errors (5xx)',
    },
    {
      name: 'Latency',
      burn: RECORD.latencyBurn,
      what: 'responses slower than its latency threshold',
    },
  ] as const;
  return slis.flatMap((sli) =>
    BURN_POLICIES.map((p) => ({
      alert: `BiSlo${sli.name}${p.name}`,
      expr: `${sli.burn(p.long)} > ${p.factor}\nand\n${sli.burn(p.short)} > ${p.factor}`,
      for: p.for,
      severity: p.severity,
      labels: { slo: sli.name.toLowerCase() },
      summary: `{{ $labels.class }} ${sli.name.toLowerCase()} SLO: error budget burning {{ $value | printf "%.1f" }}x over ${p.long}`,
      description:
        `The {{ $labels.class }} route class had ${sli.what} at {{ $value | printf "%.1f" }} times the rate its 28-day ` +
        `objective allows over the last ${p.long}, and above ${p.factor}x over the last ${p.short} too, so it is still ` +
        `happening. At ${p.factor}x, ${p.long} spends about ${p.budgetSpent} of the 28-day error budget and all of it lasts ` +
        `about ${p.budgetLasts}.`,
    })),
  );
}

const batch = `http_route="/api/v1/insights/batch"`;

function syncAlerts(): AlertRule[] {
  // One branch per signal: the bad share over 10 minutes above 10%, with at least 10 items or batches.
  const spike = (bad: string, all: string, signal: string) =>
    [
      'label_replace(',
      `  sum by (namespace) (rate(${bad}[10m]))`,
      `  / sum by (namespace) (rate(${all}[10m])) > 0.1`,
      '  and on (namespace)',
      `  sum by (namespace) (increase(${all}[10m])) >= 10,`,
      `  "signal", "${signal}", "", ""`,
      ')',
    ].join('\n');
  const batchCount = `${HTTP_DURATION}_count{${batch}}`;
  const batch5xx = `${HTTP_DURATION}_count{${batch}, http_response_status_code=~"5.."}`;
  const attempts = 'bi_capture_sync_items_total{result=~"created|duplicate|failed"}';
  return [
    {
      alert: 'BiSyncServerFailureSpike',
      expr: `${spike('bi_sync_items_total{result="rejected"}', 'bi_sync_items_total', 'rejected_items')}\nor\n${spike(batch5xx, batchCount, 'batch_server_errors')}`,
      for: '5m',
      severity: 'page',
      summary: 'Capture sync failing on the server: {{ $value | humanizePercentage }} ({{ $labels.signal }})',
      description:
        '{{ if eq $labels.signal "rejected_items" }}The server refused {{ $value | humanizePercentage }} of the outbox items it ' +
        'received over the last 10 minutes (bi_sync_items_total result=rejected): the capture app sends content the ' +
        'server does not accept, and those captures wait on the phones until someone fixes them.' +
        '{{ else }}{{ $value | humanizePercentage }} of insight batches (POST /api/v1/insights/batch) were answered ' +
        'with a server error over the last 10 minutes: captures stay queued on the phones and are retried.{{ end }}',
    },
    {
      alert: 'BiSyncClientFailureSpike',
      expr: `(\nsum by (namespace) (rate(bi_capture_sync_items_total{result="failed"}[1h]))\n/\nsum by (namespace) (rate(${attempts}[1h]))\n) > 0.5\nand on (namespace)\nsum by (namespace) (increase(${attempts}[1h])) >= 20`,
      for: '15m',
      severity: 'ticket',
      summary: 'Capture apps report {{ $value | humanizePercentage }} of sync attempts failed (1h)',
      description:
        'The capture apps reported that {{ $value | humanizePercentage }} of their sync attempts over the last hour got ' +
        'no answer or a server error (bi_capture_sync_items_total result=failed, of created + duplicate + failed). ' +
        'Bad venue networks raise this; a failure between the phones and the server (ingress, DNS, certificates) ' +
        'raises it too and is invisible to the server-side metrics.',
    },
  ];
}

function accessAlerts(): AlertRule[] {
  return [
    {
      alert: 'BiOrgSourceStale',
      expr: `max by (namespace, source) (bi_org_source_last_success_age_seconds)\nand on (namespace, source)\nmax by (namespace, source) (bi_org_source_stale) == 1`,
      for: '10m',
      severity: 'ticket',
      summary: 'Org source {{ $labels.source }} is stale',
      description:
        'The {{ $labels.source }} org source {{ if lt $value 0.0 }}has never synced, yet people are managed by it' +
        '{{ else }}last synced successfully {{ $value | humanizeDuration }} ago, longer than its maximum staleness{{ end }}. ' +
        'Access decisions rest on org facts nobody refreshed (leavers, moves, manager changes).',
    },
    {
      alert: 'BiBreakGlassUsed',
      // A series that appears with its first use has no earlier sample, so increase() alone would miss it.
      expr: `sum by (namespace, mode) (\n  (bi_break_glass_uses_total unless bi_break_glass_uses_total offset 10m)\n  or\n  increase(bi_break_glass_uses_total[10m])\n) > 0`,
      for: '0m',
      severity: 'page',
      summary: 'Break-glass session opened ({{ $labels.mode }})',
      description:
        '{{ $value | printf "%.0f" }} break-glass session(s) were opened in the last 10 minutes (mode {{ $labels.mode }}). ' +
        'Every use is reviewed: confirm it was expected and who used it.',
    },
  ];
}

function auditAlerts(): AlertRule[] {
  const lastVerification = `${byNs} (bi_audit_chain_last_verification_timestamp_seconds)`;
  const lastCheckpoint = `${byNs} (bi_audit_checkpoint_last_timestamp_seconds)`;
  const head = `${byNs} (bi_audit_chain_head_seq)`;
  const headHourAgo = `${byNs} (bi_audit_chain_head_seq offset 1h)`;
  return [
    {
      alert: 'BiAuditVerificationFailed',
      expr: `${lastVerification}\nand on (namespace)\nmin by (namespace) (bi_audit_chain_verification_status) == 0`,
      for: '0m',
      severity: 'page',
      summary: 'Audit chain verification failed',
      description:
        'The audit chain verification at {{ $value | humanizeTimestamp }} found the chain broken ' +
        '(an edited, deleted, inserted or reordered event, or a bad checkpoint). `bi audit verify` names the first ' +
        'bad sequence number.',
    },
    {
      alert: 'BiAuditVerificationOverdue',
      expr: `${lastVerification} < time() - 26 * 3600\nor\n${lastVerification} == 0`,
      for: '2h',
      severity: 'ticket',
      summary: 'Audit chain not verified for more than 26 hours',
      description:
        'The audit chain {{ if eq $value 0.0 }}has never been verified{{ else }}was last verified at ' +
        '{{ $value | humanizeTimestamp }}{{ end }}; the audit-verify job should verify it every hour.',
    },
    {
      alert: 'BiAuditCheckpointOverdue',
      expr:
        `(\n  ${lastCheckpoint} < time() - 3600\n  and on (namespace)\n  (${head} - ${headHourAgo} > 0)\n)\n` +
        `or\n(\n  ${lastCheckpoint} == 0\n  and on (namespace)\n  ${head} > 0\n)`,
      for: '15m',
      severity: 'ticket',
      summary: 'Audit events are not being checkpointed',
      description:
        'Audit events were added, yet {{ if eq $value 0.0 }}no signed checkpoint exists{{ else }}the newest signed ' +
        'checkpoint is from {{ $value | humanizeTimestamp }}, more than an hour ago{{ end }}. Events after the last ' +
        'checkpoint can be rewritten without a signature noticing.',
    },
  ];
}

function jobAlerts(): AlertRule[] {
  const critical = CRITICAL_JOBS.join('|');
  const byThreshold = new Map<number, string[]>();
  for (const [job, seconds] of Object.entries(JOB_STALE_AFTER))
    byThreshold.set(seconds, [...(byThreshold.get(seconds) ?? []), job]);
  const stale = [...byThreshold]
    .map(
      ([seconds, jobs]) =>
        `max by (namespace, ${J}) (bi_job_last_success_timestamp_seconds{${J}=~"${jobs.join('|')}"}) < time() - ${seconds}`,
    )
    .join('\nor\n');
  return [
    {
      alert: 'BiJobFailing',
      expr: `max by (namespace, ${J}) (bi_job_last_failure_timestamp_seconds{${J}=~"${critical}"})\n> on (namespace, ${J})\nmax by (namespace, ${J}) (bi_job_last_success_timestamp_seconds{${J}=~"${critical}"})`,
      for: '15m',
      severity: 'ticket',
      summary: 'Job {{ $labels.job_name }} is failing',
      description:
        'The {{ $labels.job_name }} job failed at {{ $value | humanizeTimestamp }} and has not succeeded since ' +
        "(for at least 15 minutes). The job_runs table has every run's outcome and short error message.",
    },
    {
      alert: 'BiJobStale',
      expr: stale,
      for: '15m',
      severity: 'ticket',
      summary: 'Job {{ $labels.job_name }} has not succeeded recently',
      description:
        'The {{ $labels.job_name }} job {{ if eq $value 0.0 }}has never succeeded{{ else }}last succeeded at ' +
        "{{ $value | humanizeTimestamp }}{{ end }}, beyond its staleness limit (the runbook lists each job's): it is not " +
        'running, or it keeps failing.',
    },
  ];
}

function platformAlerts(): AlertRule[] {
  return [
    {
      alert: 'BiMetricsTargetDown',
      expr: `up{job="${SCRAPE_JOB}"} == 0\nor\nabsent(up{job="${SCRAPE_JOB}"})`,
      for: '5m',
      severity: 'page',
      summary: 'Builder Insights metrics target down',
      description:
        '{{ if $labels.instance }}Prometheus could not scrape {{ $labels.instance }} for 5 minutes' +
        '{{ else }}Prometheus has had no builder-insights target at all for 5 minutes{{ end }}. A replica that ' +
        'cannot be scraped is invisible to every SLO and alert.',
    },
  ];
}

export interface AlertGroup {
  name: string;
  rules: AlertRule[];
}

export function alertGroups(): AlertGroup[] {
  return [
    { name: 'bi-slo-burn', rules: sloAlerts() },
    { name: 'bi-sync', rules: syncAlerts() },
    { name: 'bi-access', rules: accessAlerts() },
    { name: 'bi-audit', rules: auditAlerts() },
    { name: 'bi-jobs', rules: jobAlerts() },
    { name: 'bi-platform', rules: platformAlerts() },
  ];
}

export function allAlerts(): AlertRule[] {
  return alertGroups().flatMap((g) => g.rules);
}
