import { JOB_NAME_LABEL } from './alerts.ts';
import { bars, type Dashboard, dashboard, NS, quantile, row, stat, ts } from './grafana.ts';

const J = JOB_NAME_LABEL;

/** Scheduled jobs, the audit chain's integrity, and the database pool. */
export function jobsAuditDashboard(): Dashboard {
  return dashboard({
    uid: 'bi-jobs-audit',
    title: 'Builder Insights — Jobs & audit',
    description:
      'Job runs, failures and last success; audit chain verification and checkpoints; database connection pool.',
    time: 'now-24h',
    items: [
      row('Jobs'),
      ts({
        title: 'Job runs by outcome',
        description: 'Runs per job and outcome (bi_job_runs_total).',
        targets: [
          {
            expr: `sum by (${J}, outcome) (increase(bi_job_runs_total{${NS}}[$__rate_interval]))`,
            legend: '{{job_name}} {{outcome}}',
          },
        ],
      }),
      ts({
        title: 'Job duration (p95)',
        description: '95th percentile run time per job.',
        targets: [{ expr: quantile(0.95, 'bi_job_duration_seconds', NS, [J]), legend: '{{job_name}}' }],
        unit: 's',
      }),
      bars({
        title: 'Since last success',
        description: 'Time since each job last succeeded (BiJobStale fires after about three intervals).',
        targets: [
          {
            expr: `time() - max by (${J}) (bi_job_last_success_timestamp_seconds{${NS}} > 0)`,
            legend: '{{job_name}}',
          },
        ],
        unit: 's',
      }),
      stat({
        title: 'Jobs whose last run failed',
        description:
          'Jobs with a failure newer than their last success, and when it happened (BiJobFailing).',
        targets: [
          {
            expr: `max by (${J}) (bi_job_last_failure_timestamp_seconds{${NS}}) > on (${J}) max by (${J}) (bi_job_last_success_timestamp_seconds{${NS}})`,
            legend: '{{job_name}}',
          },
        ],
        unit: 'dateTimeFromNow',
        thresholds: [{ color: 'red', value: null }],
      }),
      row('Audit chain'),
      stat({
        title: 'Verification status',
        description: 'The latest audit chain verification (BiAuditVerificationFailed pages when broken).',
        targets: [{ expr: `min(bi_audit_chain_verification_status{${NS}})`, legend: 'status' }],
        mappings: [
          { value: 1, text: 'verified', color: 'green' },
          { value: 0, text: 'BROKEN', color: 'red' },
          { value: -1, text: 'never verified', color: 'orange' },
        ],
        w: 6,
      }),
      stat({
        title: 'Since last verification',
        description: 'Time since the last verification (BiAuditVerificationOverdue after 26 h).',
        targets: [
          {
            expr: `time() - max(bi_audit_chain_last_verification_timestamp_seconds{${NS}} > 0)`,
            legend: 'age',
          },
        ],
        unit: 's',
        thresholds: [
          { color: 'green', value: null },
          { color: 'red', value: 26 * 3600 },
        ],
        w: 6,
      }),
      stat({
        title: 'Since last checkpoint',
        description:
          'Age of the newest signed checkpoint (only made when events were added since the last one).',
        targets: [
          { expr: `time() - max(bi_audit_checkpoint_last_timestamp_seconds{${NS}} > 0)`, legend: 'age' },
        ],
        unit: 's',
        w: 6,
      }),
      stat({
        title: 'Chain head',
        description: 'Sequence number of the newest audit event.',
        targets: [{ expr: `max(bi_audit_chain_head_seq{${NS}})`, legend: 'head' }],
        w: 6,
      }),
      ts({
        title: 'Audit events per hour',
        description: 'Growth of the chain head: audit events written per hour.',
        targets: [{ expr: `max(delta(bi_audit_chain_head_seq{${NS}}[1h]))`, legend: 'events / h' }],
        min: 0,
        w: 24,
      }),
      row('Database pool'),
      ts({
        title: 'Pool connections by state',
        description:
          'Connections per replica: total, idle, and requests waiting for one; the dashed line is the maximum.',
        targets: [
          {
            expr: `max by (instance, state) (bi_db_pool_connections{${NS}})`,
            legend: '{{instance}} {{state}}',
          },
          { expr: `max by (instance) (bi_db_pool_max{${NS}})`, legend: '{{instance}} max' },
        ],
        min: 0,
      }),
      ts({
        title: 'Waiting for a connection',
        description:
          'Queries waiting for a free pool connection across replicas: above 0 for long, the pool is too small.',
        targets: [{ expr: `sum(bi_db_pool_connections{${NS}, state="waiting"})`, legend: 'waiting' }],
        min: 0,
      }),
    ],
  });
}
