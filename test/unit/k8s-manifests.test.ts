import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkObjects,
  cronIntervalMs,
  ENVIRONMENTS,
  type K8sObject,
  renderOverlay,
} from '../../deploy/k8s/check.ts';
import { JOBS } from '../../src/server/jobs/catalog.ts';

/**
 * The Kustomize overlays under deploy/k8s render with `kubectl kustomize`, pass the schema and policy checker, and
 * the checker fails seeded violations with exact messages. kubectl is required (CI relies on the runner having it):
 * without it the render throws with an install hint, so these tests fail rather than skip.
 */
const rendered: Record<string, K8sObject[]> = {};

beforeAll(() => {
  for (const env of ENVIRONMENTS) rendered[env] = renderOverlay(env);
});

function objects(env: string): K8sObject[] {
  const list = rendered[env];
  if (!list) throw new Error(`${env} not rendered`);
  return structuredClone(list);
}

function find(list: K8sObject[], kind: string, name = 'builder-insights'): K8sObject {
  const found = list.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found;
}

function app(list: K8sObject[]) {
  const container = find(list, 'Deployment').spec?.template?.spec?.containers?.[0];
  if (!container) throw new Error('no app container');
  return container;
}

/** Check prod (or another env) after one change to a copy of its rendered objects (in place, or a new list). */
function violationsAfter(change: (list: K8sObject[]) => unknown, env = 'prod'): string[] {
  const list = objects(env);
  const changed = change(list);
  return checkObjects(env, Array.isArray(changed) ? (changed as K8sObject[]) : list);
}

const DEPLOYMENT = 'prod: Deployment/builder-insights';
const APP = `${DEPLOYMENT}: spec.template.spec.containers[app]`;

describe('Kanopy overlays', () => {
  it.each(ENVIRONMENTS)('%s renders and passes the schema and policy checks', (env) => {
    expect(checkObjects(env, objects(env))).toEqual([]);
  });

  it('sets replicas, hosts, issuer and tags per environment', () => {
    const summary = ENVIRONMENTS.map((env) => {
      const list = objects(env);
      const config = find(list, 'ConfigMap', 'builder-insights-config').data as Record<string, string>;
      return {
        env,
        replicas: find(list, 'Deployment').spec?.replicas,
        host: find(list, 'Ingress').spec?.rules?.[0]?.host,
        publicUrl: config.PUBLIC_URL,
        issuer: config.OIDC_ISSUER,
        image: app(list).image,
        cronJobs: list.filter((o) => o.kind === 'CronJob').length,
      };
    });
    expect(summary).toEqual([
      {
        env: 'dev',
        replicas: 1,
        host: 'builder-insights.dev.kanopy.internal',
        publicUrl: 'https://builder-insights.dev.kanopy.internal',
        issuer: 'https://sso-preview.corp.internal/oauth2/default',
        image: 'registry.kanopy.internal/builder-relations/builder-insights:0.1.0-dev.1',
        cronJobs: JOBS.length,
      },
      {
        env: 'staging',
        replicas: 2,
        host: 'builder-insights.staging.kanopy.internal',
        publicUrl: 'https://builder-insights.staging.kanopy.internal',
        issuer: 'https://sso-preview.corp.internal/oauth2/default',
        image: 'registry.kanopy.internal/builder-relations/builder-insights:0.1.0',
        cronJobs: JOBS.length,
      },
      {
        env: 'prod',
        replicas: 3,
        host: 'builder-insights.kanopy.internal',
        publicUrl: 'https://builder-insights.kanopy.internal',
        issuer: 'https://sso.corp.internal/oauth2/default',
        image: 'registry.kanopy.internal/builder-relations/builder-insights:0.1.0',
        cronJobs: JOBS.length,
      },
    ]);
  });

  it('reads cron schedules as intervals', () => {
    expect(['* * * * *', '*/15 * * * *', '7 * * * *', '15 3 * * *', '0 3 * * 1'].map(cronIntervalMs)).toEqual(
      [60_000, 900_000, 3_600_000, 86_400_000, undefined],
    );
  });

  it('fails without kubectl, saying how to get it', () => {
    expect(() => renderOverlay('dev', '/nonexistent/kubectl')).toThrow(
      /kubectl .* must be on PATH: CI relies on/,
    );
  });
});

describe('the checker bites', () => {
  it('a missing probe, or liveness on /readyz', () => {
    expect(
      violationsAfter((list) => {
        delete app(list).readinessProbe;
      }),
    ).toEqual([`${APP}.readinessProbe: missing`]);
    expect(
      violationsAfter((list) => {
        app(list).livenessProbe = { httpGet: { path: '/readyz', port: 'http' } };
      }),
    ).toEqual([`${APP}.livenessProbe: must not use /readyz (liveness has no dependencies; use /healthz)`]);
  });

  it('a grace period shorter than preStop + drain + SHUTDOWN_GRACE_MS', () => {
    expect(
      violationsAfter((list) => {
        const spec = find(list, 'Deployment').spec?.template?.spec;
        if (spec) spec.terminationGracePeriodSeconds = 35;
      }),
    ).toEqual([
      `${DEPLOYMENT}: spec.template.spec.terminationGracePeriodSeconds: 35 s does not exceed preStop + drain + SHUTDOWN_GRACE_MS (35 s) in prod`,
    ]);
  });

  it('a latest tag, a missing memory limit, a dropped runAsNonRoot', () => {
    expect(
      violationsAfter((list) => {
        app(list).image = 'registry.kanopy.internal/builder-relations/builder-insights:latest';
      }),
    ).toEqual([
      `${APP}.image: "registry.kanopy.internal/builder-relations/builder-insights:latest" needs a pinned tag (not latest)`,
    ]);
    expect(
      violationsAfter((list) => {
        delete app(list).resources?.limits?.memory;
      }),
    ).toEqual([`${APP}.resources.limits.memory: missing`]);
    expect(
      violationsAfter((list) => {
        const cron = find(list, 'CronJob', 'builder-insights-cleanup');
        delete cron.spec?.jobTemplate?.spec?.template?.spec?.securityContext?.runAsNonRoot;
      }),
    ).toEqual([
      'prod: CronJob/builder-insights-cleanup: spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot: must be true',
    ]);
  });

  it('no PDB, no spread, no NetworkPolicy, too few replicas', () => {
    expect(violationsAfter((list) => list.filter((o) => o.kind !== 'PodDisruptionBudget'))).toEqual([
      `${DEPLOYMENT}: no PodDisruptionBudget selects its pods`,
    ]);
    expect(
      violationsAfter((list) => {
        const spec = find(list, 'Deployment').spec?.template?.spec;
        if (spec) spec.topologySpreadConstraints = spec.topologySpreadConstraints?.slice(1);
      }),
    ).toEqual([
      `${DEPLOYMENT}: spec.template.spec.topologySpreadConstraints: no spread over topology.kubernetes.io/zone`,
    ]);
    const noPolicy = violationsAfter((list) => list.filter((o) => o.kind !== 'NetworkPolicy'));
    expect(noPolicy).toHaveLength(2 + JOBS.length);
    expect(noPolicy[0]).toBe(
      `${DEPLOYMENT}: spec.template: no NetworkPolicy (Ingress and Egress) selects these pods`,
    );
    expect(
      violationsAfter((list) => {
        const spec = find(list, 'Deployment').spec;
        if (spec) spec.replicas = 1;
      }, 'staging'),
    ).toEqual(['staging: Deployment/builder-insights: spec.replicas: 1 < 2 in staging']);
  });

  it('a Secret with data, a missing label, a schema error, a placeholder', () => {
    expect(
      violationsAfter((list) => [
        ...list,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'leak', labels: find(list, 'Service').metadata?.labels },
          data: { SESSION_SECRET: 'c2VjcmV0' },
        },
      ]),
    ).toEqual(['prod: Secret/leak: Secret objects are not allowed: values come from the ExternalSecret']);
    expect(
      violationsAfter((list) => {
        delete find(list, 'Service').metadata?.labels?.['app.kubernetes.io/part-of'];
      }),
    ).toEqual(['prod: Service/builder-insights: metadata.labels: missing app.kubernetes.io/part-of']);
    expect(
      violationsAfter((list) => {
        const spec = find(list, 'HorizontalPodAutoscaler').spec as Record<string, unknown>;
        spec.maxReplicas = 'eight';
      }),
    ).toEqual([
      'prod: HorizontalPodAutoscaler/builder-insights: schema: data/spec/maxReplicas must be integer',
    ]);
    expect(
      violationsAfter((list) => {
        const data = find(list, 'ConfigMap', 'builder-insights-config').data as Record<string, string>;
        data.PUBLIC_URL = 'https://builder-insights.example.invalid';
      }),
    ).toEqual([
      'prod: ConfigMap/builder-insights-config: placeholder "example.invalid" left: set it in overlays/prod',
    ]);
  });

  it('a scheduled job without its CronJob or at the wrong interval', () => {
    expect(
      violationsAfter((list) => list.filter((o) => o.metadata?.name !== 'builder-insights-audit-verify')),
    ).toEqual([
      'prod: CronJob/*: no CronJob runs scheduled job audit-verify (args ["jobs","run","audit-verify"])',
    ]);
    expect(
      violationsAfter((list) => {
        const spec = find(list, 'CronJob', 'builder-insights-cleanup').spec;
        if (spec) spec.schedule = '*/5 * * * *';
      }),
    ).toEqual([
      'prod: CronJob/builder-insights-cleanup: spec.schedule: "*/5 * * * *" does not fire every 900 s',
    ]);
  });

  it('the metrics port routed by the Ingress', () => {
    expect(
      violationsAfter((list) => {
        const backend = find(list, 'Ingress').spec?.rules?.[0]?.http?.paths?.[0]?.backend;
        if (backend) backend.service = { name: 'builder-insights-metrics', port: { name: 'metrics' } };
      }),
    ).toEqual([
      'prod: Ingress/builder-insights: spec.rules: routes the metrics port (Service builder-insights-metrics); only http may be exposed',
    ]);
  });
});
