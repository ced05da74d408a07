import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/server/jobs/catalog.ts';
import { runJob } from '../../src/server/jobs/runner.ts';
import { type MetricsServer, startMetricsServer } from '../../src/server/observability/metrics-server.ts';
import { promtool, runPromtoolTests } from '../helpers/promtool.ts';
import { freePort, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let metrics: MetricsServer;
let body: string;
const missingInsight = randomUUID();

beforeAll(async () => {
  stack = await startStack();
  metrics = await startMetricsServer({ port: await freePort(), host: '127.0.0.1', log: stack.app.log });
  const ari = await stack.signIn('Ari');
  expect((await ari.get(`/api/v1/insights/${missingInsight}`)).status).toBe(404);
  expect((await ari.get('/api/v1/me')).status).toBe(200);
  expect((await fetch(`${stack.baseUrl}/no/such/${missingInsight}`)).status).toBe(404);
  const cleanup = JOBS.find((job) => job.name === 'cleanup');
  if (!cleanup) throw new Error('no cleanup job');
  expect((await runJob(cleanup, stack.db.database.db, { oidc: null, config: null }, 'cli')).outcome).toBe(
    'success',
  );
  const response = await fetch(`http://127.0.0.1:${metrics.port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  body = await response.text();
});
afterAll(async () => {
  await metrics?.close();
  await stack?.close();
});

/** The value of the one sample line `name{labels}` (labels exactly as rendered), or undefined. */
function sample(series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the metrics listener', () => {
  it('records request durations by method, route template and status, never by raw path', () => {
    const labels = (route: string, status: number, method = 'GET') =>
      `http_request_method="${method}",http_response_status_code="${status}",http_route="${route}"`;
    const name = 'http_server_request_duration_seconds';
    expect(sample(`${name}_count{${labels('/api/v1/insights/:id', 404)}}`)).toBe(1);
    expect(sample(`${name}_bucket{${labels('/api/v1/insights/:id', 404)},le="+Inf"}`)).toBe(1);
    expect(sample(`${name}_bucket{${labels('/api/v1/insights/:id', 404)},le="10"}`)).toBe(1);
    expect(sample(`${name}_sum{${labels('/api/v1/insights/:id', 404)}}`)).toBeGreaterThan(0);
    expect(sample(`${name}_count{${labels('/api/v1/me', 200)}}`)).toBeGreaterThanOrEqual(2);
    expect(sample(`${name}_count{${labels('unmatched', 404)}}`)).toBe(1);
    expect(sample(`${name}_count{${labels('/auth/callback', 302)}}`)).toBe(1);
    expect(body).toContain(`# TYPE ${name} histogram`);
    expect(body).not.toContain(missingInsight);
    const buckets = body
      .split('\n')
      .filter((l) => l.startsWith(`${name}_bucket{${labels('/api/v1/me', 200)}`));
    expect(buckets.map((l) => /le="([^"]+)"/.exec(l)?.[1])).toEqual(
      [
        '0.005',
        '0.01',
        '0.025',
        '0.05',
        '0.075',
        '0.1',
        '0.25',
        '0.5',
        '0.75',
        '1',
        '2.5',
        '5',
        '7.5',
        '10',
      ].concat('+Inf'),
    );
  });

  it('shows job, pool, process and build gauges', () => {
    const now = Date.now() / 1000;
    expect(sample('bi_job_last_success_timestamp_seconds{job_name="cleanup"}')).toBeGreaterThan(now - 60);
    expect(sample('bi_job_last_failure_timestamp_seconds{job_name="cleanup"}')).toBe(0);
    expect(sample('bi_job_last_success_timestamp_seconds{job_name="idp-probe"}')).toBe(0);
    expect(sample('bi_job_runs_total{job_name="cleanup",outcome="success"}')).toBe(1);
    expect(sample('bi_job_duration_seconds_count{job_name="cleanup"}')).toBe(1);
    const pool = stack.db.database.poolStats();
    expect(sample('bi_db_pool_max')).toBe(pool.max);
    for (const state of ['total', 'idle', 'waiting'])
      expect(sample(`bi_db_pool_connections{state="${state}"}`)).toBeGreaterThanOrEqual(0);
    expect(sample('process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(sample('process_heap_bytes')).toBeGreaterThan(1_000_000);
    expect(sample('process_start_time_seconds')).toBeLessThan(now);
    expect(sample('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample('nodejs_eventloop_delay_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample('bi_build_info{env="test",version="dev"}')).toBe(1);
    // The domain collectors still run (audit chain, org sources).
    expect(body).toMatch(/^bi_audit_chain_head_seq \d+$/m);
    expect(body).toMatch(/^bi_org_source_stale\{source="scim"\} [01]$/m);
  });

  it('exposes every metric of the observability contract (docs/observability.md)', () => {
    const names = [
      ['http_server_request_duration_seconds', 'histogram'],
      ['bi_build_info', 'gauge'],
      ['process_resident_memory_bytes', 'gauge'],
      ['process_heap_bytes', 'gauge'],
      ['process_start_time_seconds', 'gauge'],
      ['process_cpu_seconds_total', 'counter'],
      ['nodejs_eventloop_delay_p99_seconds', 'gauge'],
      ['bi_db_pool_connections', 'gauge'],
      ['bi_db_pool_max', 'gauge'],
      ['bi_job_runs_total', 'counter'],
      ['bi_job_duration_seconds', 'histogram'],
      ['bi_job_last_success_timestamp_seconds', 'gauge'],
      ['bi_job_last_failure_timestamp_seconds', 'gauge'],
      ['bi_auth_sign_ins_total', 'counter'],
      ['bi_auth_step_ups_total', 'counter'],
      ['bi_auth_sessions_ended_total', 'counter'],
      ['bi_auth_global_logouts_total', 'counter'],
      ['bi_break_glass_uses_total', 'counter'],
      ['bi_break_glass_sign_in_failures_total', 'counter'],
      ['bi_sync_items_total', 'counter'],
      ['bi_sync_batch_size', 'histogram'],
      ['bi_scim_operations_total', 'counter'],
      ['bi_org_source_stale', 'gauge'],
      ['bi_org_source_last_success_age_seconds', 'gauge'],
      ['bi_audit_chain_verification_status', 'gauge'],
      ['bi_audit_chain_last_verification_timestamp_seconds', 'gauge'],
      ['bi_audit_checkpoint_last_timestamp_seconds', 'gauge'],
      ['bi_audit_chain_head_seq', 'gauge'],
    ];
    const missing = names.filter(([name, type]) => !body.includes(`\n# TYPE ${name} ${type}\n`));
    expect(missing).toEqual([]);
  });

  it('answers only GET /metrics, and the app port has no /metrics', async () => {
    const base = `http://127.0.0.1:${metrics.port}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics/x`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(404);
  });
});

describe.runIf(runPromtoolTests)('promtool', () => {
  it('accepts the exposition (promtool check metrics)', () => {
    const result = promtool(['check', 'metrics'], body);
    expect(result.stderr + result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
