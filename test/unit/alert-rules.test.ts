import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleFiles } from '../../deploy/observability/generate.ts';
import {
  allAlerts,
  CRITICAL_JOBS,
  JOB_STALE_AFTER,
  runbookAnchor,
} from '../../deploy/observability/model/alerts.ts';
import { dashboards } from '../../deploy/observability/model/dashboards.ts';
import { DATASOURCE } from '../../deploy/observability/model/grafana.ts';
import { recordingRuleGroups } from '../../deploy/observability/model/recording-rules.ts';
import { toYaml } from '../../deploy/observability/model/yaml.ts';
import { JOBS } from '../../src/server/jobs/catalog.ts';
import { promtool, runPromtoolTests } from '../helpers/promtool.ts';

/**
 * The SLO recording rules, alert rules and Grafana dashboards under deploy/observability: generated files match
 * the model, promtool accepts and unit-tests the rules, every alert is documented and tested, and every metric they
 * read is one the application exposes.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const OBSERVABILITY = path.join(ROOT, 'deploy/observability');
const PROMETHEUS = path.join(OBSERVABILITY, 'prometheus');
const RULE_FILES = ['recording-rules.yml', 'alerts.yml'].map((f) => path.join(PROMETHEUS, f));
const TEST_FILES = readdirSync(path.join(PROMETHEUS, 'tests'))
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => path.join(PROMETHEUS, 'tests', f));
const DASHBOARD_FILES = readdirSync(path.join(OBSERVABILITY, 'grafana'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => path.join(OBSERVABILITY, 'grafana', f));

/**
 * The metrics the application exposes on METRICS_PORT (issue 8's metric table, and the capture telemetry of
 * docs/analytics.md), as base names: a histogram's `_bucket`, `_sum` and `_count` series count as its name.
 * test/api/observability-metrics.test.ts scrapes the running app and checks its exposition with promtool; the
 * lead cross-checks this list against a live scrape.
 */
const EXPOSED_METRICS = new Set([
  'http_server_request_duration_seconds',
  'bi_build_info',
  'process_resident_memory_bytes',
  'process_heap_bytes',
  'process_start_time_seconds',
  'process_cpu_seconds_total',
  'nodejs_eventloop_delay_p99_seconds',
  'bi_db_pool_connections',
  'bi_db_pool_max',
  'bi_job_runs_total',
  'bi_job_duration_seconds',
  'bi_job_last_success_timestamp_seconds',
  'bi_job_last_failure_timestamp_seconds',
  'bi_auth_sign_ins_total',
  'bi_auth_step_ups_total',
  'bi_auth_sessions_ended_total',
  'bi_auth_global_logouts_total',
  'bi_break_glass_uses_total',
  'bi_break_glass_sign_in_failures_total',
  'bi_sync_items_total',
  'bi_sync_batch_size',
  'bi_capture_telemetry_events_total',
  'bi_capture_sync_items_total',
  'bi_capture_reconnects_total',
  'bi_capture_app_starts_total',
  'bi_capture_tap_to_saved_seconds',
  'bi_capture_offline_duration_seconds',
  'bi_capture_queue_depth',
  'bi_scim_operations_total',
  'bi_org_source_stale',
  'bi_org_source_last_success_age_seconds',
  'bi_audit_chain_verification_status',
  'bi_audit_chain_last_verification_timestamp_seconds',
  'bi_audit_checkpoint_last_timestamp_seconds',
  'bi_audit_chain_head_seq',
]);

const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);

/** The series names a PromQL expression reads (not functions, labels, strings, durations or numbers). */
function seriesNames(expr: string): string[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names: string[] = [];
  for (const match of text.matchAll(/(?<![\w:.$])([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    const name = match[1] ?? '';
    if (!match[2] && !PROMQL_WORDS.has(name)) names.push(name);
  }
  return names;
}

const RECORDED = new Set(recordingRuleGroups().flatMap((g) => g.rules.map((r) => r.record)));

function dashboardExprs(): string[] {
  return dashboards().flatMap((d) =>
    d.panels.flatMap((p) => ((p.targets as { expr: string }[] | undefined) ?? []).map((t) => t.expr)),
  );
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as dashes. */
function headingAnchors(markdown: string): Set<string> {
  return new Set(
    markdown
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) =>
        line
          .replace(/^#+ /, '')
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      ),
  );
}

/** Per alert name, whether the promtool test files expect it to fire somewhere, and to stay quiet somewhere. */
function testedCases(): Map<string, { fires: boolean; quiet: boolean }> {
  const cases = new Map<string, { fires: boolean; quiet: boolean }>();
  for (const file of TEST_FILES) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let alert = '';
    lines.forEach((line, i) => {
      const name = /^\s*(?:- )?alertname:\s*(\S+)/.exec(line)?.[1];
      if (name) alert = name;
      const expected = /^\s*exp_alerts:\s*(\S*)/.exec(line);
      if (!expected || !alert) return;
      const entry = cases.get(alert) ?? { fires: false, quiet: false };
      if (expected[1] === '[]') entry.quiet = true;
      else if (/^\s*- exp_labels:/.test(lines[i + 1] ?? '')) entry.fires = true;
      cases.set(alert, entry);
    });
  }
  return cases;
}

describe('alert rules, recording rules and dashboards as code', () => {
  it('the committed files are what the model generates (npx node deploy/observability/generate.ts)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('every alert has a severity, a summary, a description and a runbook section', () => {
    const anchors = headingAnchors(readFileSync(path.join(ROOT, 'docs/operations/alerts.md'), 'utf8'));
    const alerts = allAlerts();
    expect(alerts.length).toBeGreaterThanOrEqual(16);
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
    for (const alert of alerts) {
      expect(['page', 'ticket'], alert.alert).toContain(alert.severity);
      expect(alert.summary.length, alert.alert).toBeGreaterThan(10);
      expect(alert.description.length, alert.alert).toBeGreaterThan(40);
      expect(anchors.has(runbookAnchor(alert.alert)), `docs/operations/alerts.md has ## ${alert.alert}`).toBe(
        true,
      );
    }
    // The generated file carries the same annotations and a link per alert.
    const yaml = readFileSync(path.join(PROMETHEUS, 'alerts.yml'), 'utf8');
    for (const alert of alerts) {
      expect(yaml).toContain(`- alert: ${alert.alert}\n`);
      expect(yaml).toContain(`runbook_url: "docs/operations/alerts.md#${runbookAnchor(alert.alert)}"`);
    }
    expect(yaml.match(/severity: (page|ticket)\n/g)?.length).toBe(alerts.length);
  });

  it('every alert has a promtool case where it fires and one where it stays quiet', () => {
    const cases = testedCases();
    for (const { alert } of allAlerts())
      expect(cases.get(alert), `${alert} in deploy/observability/prometheus/tests`).toEqual({
        fires: true,
        quiet: true,
      });
    const known = new Set(allAlerts().map((a) => a.alert));
    for (const name of cases.keys()) expect(known, `test of an unknown alert ${name}`).toContain(name);
  });

  it('reads only metrics the application exposes and records that exist', () => {
    expect(
      seriesNames('sum by (le) (rate(a_bucket{x="y"}[5m])) / on (k) b offset 1h > 1e9 and c:d:e'),
    ).toEqual(['a_bucket', 'b', 'c:d:e']);
    const exprs = [
      ...recordingRuleGroups().flatMap((g) => g.rules.map((r) => r.expr)),
      ...allAlerts().map((a) => a.expr),
      ...dashboardExprs(),
    ];
    const unknown = new Set<string>();
    for (const name of exprs.flatMap(seriesNames)) {
      if (name === 'up') continue;
      if (name.includes(':')) {
        if (!RECORDED.has(name)) unknown.add(name);
        continue;
      }
      if (!EXPOSED_METRICS.has(name.replace(/_(bucket|sum|count)$/, ''))) unknown.add(name);
    }
    expect([...unknown]).toEqual([]);
  });

  it('every scheduled job has a staleness limit, and the critical jobs are real jobs', () => {
    for (const job of JOBS)
      expect(JOB_STALE_AFTER[job.name], `JOB_STALE_AFTER['${job.name}']`).toBeGreaterThan(0);
    for (const job of CRITICAL_JOBS) expect(Object.keys(JOB_STALE_AFTER)).toContain(job);
    // A limit under two intervals would flag a job that merely ran a little late.
    for (const job of JOBS)
      expect(JOB_STALE_AFTER[job.name] ?? 0).toBeGreaterThanOrEqual((2 * job.everyMs) / 1000);
  });

  it('dashboards are valid Grafana JSON on the datasource variable with no fixed data source', () => {
    expect(DATASOURCE).toEqual({ type: 'prometheus', uid: '$' + '{datasource}' });
    const titles: string[] = [];
    for (const file of DASHBOARD_FILES) {
      const dashboard = JSON.parse(readFileSync(file, 'utf8'));
      titles.push(dashboard.title);
      expect(dashboard.schemaVersion, file).toBeGreaterThanOrEqual(39);
      expect(dashboard.id ?? null).toBeNull();
      const variables = dashboard.templating.list as { name: string; type: string; query: unknown }[];
      expect(variables.find((v) => v.name === 'datasource')).toMatchObject({
        type: 'datasource',
        query: 'prometheus',
      });
      const panels = dashboard.panels as {
        type: string;
        datasource?: unknown;
        targets?: { datasource: unknown }[];
      }[];
      expect(panels.filter((p) => p.type !== 'row').length, file).toBeGreaterThan(4);
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        expect(panel.datasource).toEqual(DATASOURCE);
        for (const target of panel.targets ?? []) expect(target.datasource).toEqual(panel.datasource);
      }
      // The only uids are the dashboard's own and the variable: nothing from a real Grafana instance.
      const uids = [...JSON.stringify(dashboard).matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]);
      expect(new Set(uids)).toEqual(new Set([dashboard.uid, DATASOURCE.uid]));
    }
    expect(titles.sort()).toEqual([
      'Builder Insights — Auth & access',
      'Builder Insights — Capture sync',
      'Builder Insights — Jobs & audit',
      'Builder Insights — RED',
      'Builder Insights — SLO burn',
    ]);
  });
});

describe.runIf(runPromtoolTests)('promtool', () => {
  it('check rules accepts both rule files', () => {
    const run = promtool(['check', 'rules', ...RULE_FILES]);
    expect(run.stderr + run.stdout).not.toMatch(/FAILED/);
    expect(run.status).toBe(0);
  });

  it('every dashboard query is valid PromQL', () => {
    // Grafana's variables replaced by values of the same kind, each query wrapped as a recording rule to parse.
    const rules = dashboardExprs().map((expr, i) => ({
      record: `dashboard_query_${i}`,
      expr: expr
        .replaceAll('$__rate_interval', '5m')
        .replaceAll('$__range', '1h')
        .replaceAll('$namespace', '.*')
        .replaceAll('$class', '.*'),
    }));
    expect(rules.length).toBeGreaterThan(40);
    const dir = mkdtempSync(path.join(tmpdir(), 'bi-dashboards-'));
    try {
      const file = path.join(dir, 'dashboards.yml');
      writeFileSync(file, toYaml({ groups: [{ name: 'dashboards', rules }] }));
      const run = promtool(['check', 'rules', file]);
      expect(run.stdout + run.stderr).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // One promtool run per file: each stays well inside the helper's time limit.
  it.each(TEST_FILES.map((f) => [path.basename(f), f]))(
    'test rules passes %s',
    { timeout: 120_000 },
    (_, file) => {
      const run = promtool(['test', 'rules', file]);
      expect(run.stdout + run.stderr, 'promtool test rules output').not.toMatch(/FAILED/);
      expect(run.stdout).toMatch(/SUCCESS/);
      expect(run.status).toBe(0);
    },
  );
});
