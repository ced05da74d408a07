import { allAlerts } from '../../../../deploy/observability/model/alerts.ts';
import { ago, fail, fetchJson, type GateEvaluator, iso, MINUTE, pass, warn } from './readiness.gates.ts';
import { readSignal } from './readiness.repo.ts';

export const METRICS_SCRAPED_SIGNAL = 'metrics.scraped';
export const METRICS_SCRAPE_MAX_MINUTES = 5;

export const metricsScraped: GateEvaluator = async ({ db, now }) => {
  const signal = await readSignal(db, METRICS_SCRAPED_SIGNAL);
  const detail = signal?.detail ?? {};
  const evidence = {
    lastScrapedAt: iso(signal?.observedAt),
    instance: typeof detail.instance === 'string' ? detail.instance : null,
    maxAgeMinutes: METRICS_SCRAPE_MAX_MINUTES,
  };
  if (!signal) return fail('The metrics endpoint has never been scraped.', evidence);
  if (now.getTime() - signal.observedAt.getTime() > METRICS_SCRAPE_MAX_MINUTES * MINUTE)
    return fail(`The metrics endpoint was last scraped ${ago(signal.observedAt, now)} ago.`, evidence);
  return pass(`The metrics endpoint was scraped ${ago(signal.observedAt, now)} ago.`, evidence);
};

/** Alerting rule names Prometheus reports (GET /api/v1/rules: data.groups[].rules[] with type "alerting"). */
function loadedAlertNames(body: unknown): Set<string> | null {
  const groups = (body as { data?: { groups?: unknown } } | null)?.data?.groups;
  if (!Array.isArray(groups)) return null;
  const names = new Set<string>();
  for (const group of groups) {
    const rules = (group as { rules?: unknown }).rules;
    if (!Array.isArray(rules)) continue;
    for (const rule of rules as { type?: unknown; name?: unknown }[])
      if (rule.type === 'alerting' && typeof rule.name === 'string') names.add(rule.name);
  }
  return names;
}

export const alertRulesLoaded: GateEvaluator = async ({ config }) => {
  const base = config.readiness.prometheusUrl;
  const expected = [...new Set(allAlerts().map((a) => a.alert))];
  if (!base) return fail('PROMETHEUS_URL is not configured.', { expectedAlerts: expected.length });
  const answer = await fetchJson(`${base}/api/v1/rules?type=alert`, config.readiness.httpTimeoutMs);
  const evidence = { prometheusUrl: base, expectedAlerts: expected.length };
  if (!answer.ok) return fail(`Prometheus ${answer.error}.`, { ...evidence, httpStatus: answer.status });
  const loaded = loadedAlertNames(answer.body);
  if (!loaded) return fail('Prometheus answered without a rule list.', evidence);
  const missing = expected.filter((name) => !loaded.has(name));
  const withLoaded = { ...evidence, loadedAlerts: loaded.size, missing: missing.join(',') || null };
  if (missing.length > 0)
    return fail(
      `Prometheus has not loaded ${missing.length} of our ${expected.length} alerts (${missing.slice(0, 3).join(', ')}${
        missing.length > 3 ? ', …' : ''
      }).`,
      withLoaded,
    );
  return pass(`Prometheus has loaded all ${expected.length} alerts.`, withLoaded);
};

export const tracingExport: GateEvaluator = async ({ config }) => {
  const endpoint = config.observability.tracing.otlpEndpoint;
  if (!endpoint)
    return warn('OTEL_EXPORTER_OTLP_ENDPOINT is not set: traces are not exported.', { otlpEndpoint: null });
  return pass('Traces are exported over OTLP.', { otlpEndpoint: endpoint });
};
