import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { JOBS } from '../../src/server/jobs/catalog.ts';

/**
 * Offline checks of the Kustomize overlays (docs/operations/kanopy.md): render each overlay with
 * `kubectl kustomize`, validate every object against the Kubernetes (and Prometheus Operator) schemas from
 * kubernetes-models, then apply the project's policy (REFERENCE §6). Every violation is one line naming the
 * environment, the object (Kind/name) and the field. `node deploy/k8s/check.ts [env ...]` exits 1 on any.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

type Labels = Record<string, string>;
interface Probe {
  httpGet?: { path?: string; port?: string | number };
}
interface Container {
  name?: string;
  image?: string;
  args?: string[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Labels; limits?: Labels };
  securityContext?: SecurityContext;
  lifecycle?: { preStop?: { sleep?: { seconds?: number } } };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type?: string };
}
interface PodTemplate {
  metadata?: { labels?: Labels };
  spec?: {
    automountServiceAccountToken?: boolean;
    terminationGracePeriodSeconds?: number;
    securityContext?: SecurityContext;
    containers?: Container[];
    topologySpreadConstraints?: { topologyKey?: string }[];
  };
}
interface Backend {
  service?: { name?: string; port?: { name?: string; number?: number } };
}
interface Spec {
  replicas?: number;
  minReplicas?: number;
  selector?: { matchLabels?: Labels };
  podSelector?: { matchLabels?: Labels };
  policyTypes?: string[];
  template?: PodTemplate;
  jobTemplate?: { spec?: { template?: PodTemplate } };
  schedule?: string;
  concurrencyPolicy?: string;
  scaleTargetRef?: { kind?: string; name?: string };
  ports?: { name?: string; port?: number; targetPort?: string | number }[];
  tls?: { hosts?: string[] }[];
  rules?: { host?: string; http?: { paths?: { backend?: Backend }[] } }[];
  defaultBackend?: Backend;
  secretStoreRef?: { name?: string };
  target?: { name?: string };
  data?: { secretKey?: string; remoteRef?: { key?: string } }[];
}
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Labels };
  spec?: Spec;
  data?: unknown;
  stringData?: unknown;
  automountServiceAccountToken?: boolean;
}

interface Validatable {
  validate(): void;
}
const SCHEMAS: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/CronJob': CronJob,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};
export const STANDARD_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/component',
  'app.kubernetes.io/managed-by',
];
/** Values the base carries only until an overlay replaces them. */
const PLACEHOLDERS = ['example.invalid', '192.0.2.', 'builder-insights/ENV'];

export const KUBECTL_HINT =
  'kubectl (>= 1.27, with its built-in kustomize) must be on PATH: CI relies on the runner providing it (it is not a Debian package here); install it from https://kubernetes.io/docs/tasks/tools/ or set KUBECTL to its path';

/** `kubectl kustomize deploy/k8s/overlays/<env>`, parsed. Throws (with an install hint) when kubectl is missing. */
export function renderOverlay(env: string, kubectl = process.env.KUBECTL ?? 'kubectl'): K8sObject[] {
  const run = spawnSync(kubectl, ['kustomize', path.join(HERE, 'overlays', env)], { encoding: 'utf8' });
  if (run.error) throw new Error(`cannot run ${kubectl}: ${run.error.message}. ${KUBECTL_HINT}`);
  if (run.status !== 0) throw new Error(`kubectl kustomize overlays/${env} failed: ${run.stderr.trim()}`);
  return parseAllDocuments(run.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function id(o: K8sObject): string {
  return `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`;
}

function matches(selector: Labels | undefined, labels: Labels | undefined): boolean {
  const wanted = Object.entries(selector ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => labels?.[k] === v);
}

/** The interval a cron schedule fires at, for the shapes the base uses; undefined for anything else. */
export function cronIntervalMs(schedule: string): number | undefined {
  const minute = 60_000;
  if (schedule === '* * * * *') return minute;
  const every = /^\*\/(\d+) \* \* \* \*$/.exec(schedule);
  if (every && 60 % Number(every[1]) === 0) return Number(every[1]) * minute;
  if (/^\d+ \* \* \* \*$/.test(schedule)) return 60 * minute;
  if (/^\d+ \d+ \* \* \*$/.test(schedule)) return 24 * 60 * minute;
  return undefined;
}

function schemaViolations(o: K8sObject): string[] {
  const key = `${o.apiVersion}/${o.kind}`;
  if (key === 'external-secrets.io/v1/ExternalSecret') {
    // No model ships for the External Secrets CRD: a structural check of the fields the Secret depends on.
    const s = o.spec;
    const bad =
      !s?.secretStoreRef?.name ||
      !s.target?.name ||
      !Array.isArray(s.data) ||
      s.data.some((d) => !d.secretKey || !d.remoteRef?.key);
    return bad ? ['spec: needs secretStoreRef.name, target.name and data[].secretKey/remoteRef.key'] : [];
  }
  const Model = SCHEMAS[key];
  if (!Model) return [`no schema for ${key} (add it to deploy/k8s/check.ts)`];
  try {
    new Model(o as never).validate();
    return [];
  } catch (error) {
    return [`schema: ${(error as Error).message}`];
  }
}

function podTemplate(o: K8sObject): { template: PodTemplate | undefined; at: string } | undefined {
  if (o.kind === 'Deployment' || o.kind === 'Job') return { template: o.spec?.template, at: 'spec.template' };
  if (o.kind === 'CronJob')
    return { template: o.spec?.jobTemplate?.spec?.template, at: 'spec.jobTemplate.spec.template' };
  return undefined;
}

function containerViolations(c: Container, at: string): string[] {
  const out: string[] = [];
  const image = c.image ?? '';
  const tag = /^[^@]+:([^:/@]+)$/.exec(image)?.[1];
  if (!image.includes('@sha256:') && (!tag || tag === 'latest'))
    out.push(`${at}.image: "${image}" needs a pinned tag (not latest)`);
  if (!c.resources?.requests?.cpu) out.push(`${at}.resources.requests.cpu: missing`);
  if (!c.resources?.requests?.memory) out.push(`${at}.resources.requests.memory: missing`);
  if (!c.resources?.limits?.memory) out.push(`${at}.resources.limits.memory: missing`);
  const sc = c.securityContext;
  if (sc?.allowPrivilegeEscalation !== false)
    out.push(`${at}.securityContext.allowPrivilegeEscalation: must be false`);
  if (!sc?.capabilities?.drop?.includes('ALL'))
    out.push(`${at}.securityContext.capabilities.drop: must include ALL`);
  if (sc?.readOnlyRootFilesystem !== true)
    out.push(`${at}.securityContext.readOnlyRootFilesystem: must be true`);
  return out;
}

/**
 * SIGTERM drain inside the grace period (docs/operations/shutdown.md): the grace period counts from the start of
 * preStop, so it must exceed the preStop sleep + the app's drain delay (a fifth of SHUTDOWN_GRACE_MS, at most 5 s)
 * + SHUTDOWN_GRACE_MS.
 */
function shutdownViolations(
  template: PodTemplate | undefined,
  at: string,
  env: string,
  objects: K8sObject[],
) {
  const config = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata?.name === 'builder-insights-config',
  );
  const graceMs = Number((config?.data as Labels | undefined)?.SHUTDOWN_GRACE_MS ?? 25_000);
  const preStop = template?.spec?.containers?.[0]?.lifecycle?.preStop?.sleep?.seconds;
  if (!preStop)
    return [`${at}.spec.containers[0].lifecycle.preStop: a sleep is missing (endpoints drop the pod first)`];
  const needed = preStop + Math.min(graceMs / 5, 5_000) / 1000 + graceMs / 1000;
  const grace = template?.spec?.terminationGracePeriodSeconds ?? 30;
  return grace > needed
    ? []
    : [
        `${at}.spec.terminationGracePeriodSeconds: ${grace} s does not exceed preStop + drain + SHUTDOWN_GRACE_MS (${needed} s) in ${env}`,
      ];
}

function podViolations(
  o: K8sObject,
  template: PodTemplate | undefined,
  at: string,
  env: string,
  objects: K8sObject[],
): string[] {
  const out: string[] = [];
  const spec = template?.spec;
  for (const label of ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of'])
    if (!template?.metadata?.labels?.[label]) out.push(`${at}.metadata.labels: missing ${label}`);
  if (spec?.automountServiceAccountToken !== false)
    out.push(`${at}.spec.automountServiceAccountToken: must be false`);
  const sc = spec?.securityContext;
  if (sc?.runAsNonRoot !== true) out.push(`${at}.spec.securityContext.runAsNonRoot: must be true`);
  if (!sc?.runAsUser) out.push(`${at}.spec.securityContext.runAsUser: must be a non-zero uid`);
  if (sc?.seccompProfile?.type !== 'RuntimeDefault')
    out.push(`${at}.spec.securityContext.seccompProfile.type: must be RuntimeDefault`);
  const containers = spec?.containers ?? [];
  if (containers.length === 0) out.push(`${at}.spec.containers: missing`);
  for (const c of containers) {
    const cat = `${at}.spec.containers[${c.name}]`;
    out.push(...containerViolations(c, cat));
    if (o.kind !== 'Deployment') continue;
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const)
      if (!c[probe]) out.push(`${cat}.${probe}: missing`);
    if (c.livenessProbe?.httpGet?.path === '/readyz')
      out.push(`${cat}.livenessProbe: must not use /readyz (liveness has no dependencies; use /healthz)`);
    if (c.readinessProbe && c.readinessProbe.httpGet?.path !== '/readyz')
      out.push(`${cat}.readinessProbe: must use /readyz (database + migrations)`);
  }
  if (o.kind === 'Deployment') {
    out.push(...shutdownViolations(template, at, env, objects));
    const keys = (spec?.topologySpreadConstraints ?? []).map((t) => t.topologyKey);
    for (const key of ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'])
      if (!keys.includes(key)) out.push(`${at}.spec.topologySpreadConstraints: no spread over ${key}`);
  }
  return out;
}

/** Every schema and policy violation in one rendered overlay, each as `<env>: <Kind>/<name>: <field>: <problem>`. */
export function checkObjects(
  env: string,
  objects: K8sObject[],
  jobs: readonly { name: string; everyMs: number }[] = JOBS,
): string[] {
  const out: string[] = [];
  const add = (o: K8sObject | string, message: string) =>
    out.push(`${env}: ${typeof o === 'string' ? o : id(o)}: ${message}`);
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);

  for (const o of objects) {
    for (const v of schemaViolations(o)) add(o, v);
    for (const label of STANDARD_LABELS)
      if (!o.metadata?.labels?.[label]) add(o, `metadata.labels: missing ${label}`);
    const text = JSON.stringify(o);
    for (const placeholder of PLACEHOLDERS)
      if (text.includes(placeholder)) add(o, `placeholder "${placeholder}" left: set it in overlays/${env}`);
    if (o.kind === 'Secret') add(o, 'Secret objects are not allowed: values come from the ExternalSecret');
    if (o.kind === 'ServiceAccount' && o.automountServiceAccountToken !== false)
      add(o, 'automountServiceAccountToken: must be false');

    const pod = podTemplate(o);
    if (!pod) continue;
    for (const v of podViolations(o, pod.template, pod.at, env, objects)) add(o, v);
    const labels = pod.template?.metadata?.labels;
    const policies = ofKind('NetworkPolicy').filter((p) => matches(p.spec?.podSelector?.matchLabels, labels));
    if (
      !policies.some((p) => p.spec?.policyTypes?.includes('Ingress') && p.spec.policyTypes.includes('Egress'))
    )
      add(o, `${pod.at}: no NetworkPolicy (Ingress and Egress) selects these pods`);
  }

  const deployments = ofKind('Deployment');
  if (deployments.length === 0) add('Deployment/*', 'missing');
  for (const d of deployments) {
    const labels = d.spec?.template?.metadata?.labels;
    if (!ofKind('PodDisruptionBudget').some((p) => matches(p.spec?.selector?.matchLabels, labels)))
      add(d, 'no PodDisruptionBudget selects its pods');
    if (env !== 'dev') {
      if ((d.spec?.replicas ?? 1) < 2) add(d, `spec.replicas: ${d.spec?.replicas ?? 1} < 2 in ${env}`);
      for (const h of ofKind('HorizontalPodAutoscaler'))
        if (h.spec?.scaleTargetRef?.name === d.metadata?.name && (h.spec?.minReplicas ?? 1) < 2)
          add(h, `spec.minReplicas: ${h.spec?.minReplicas ?? 1} < 2 in ${env}`);
    }
  }

  const migrations = ofKind('Job').filter((j) =>
    j.spec?.template?.spec?.containers?.some((c) => c.args?.join(' ') === 'migrate'),
  );
  if (migrations.length === 0) add('Job/*', 'no migration Job (args ["migrate"])');

  const cronJobs = ofKind('CronJob');
  for (const job of jobs) {
    const expected = `jobs run ${job.name}`;
    const cron = cronJobs.find((c) =>
      c.spec?.jobTemplate?.spec?.template?.spec?.containers?.some((x) => x.args?.join(' ') === expected),
    );
    if (!cron) {
      add('CronJob/*', `no CronJob runs scheduled job ${job.name} (args ["jobs","run","${job.name}"])`);
      continue;
    }
    const interval = cronIntervalMs(cron.spec?.schedule ?? '');
    if (interval !== job.everyMs)
      add(cron, `spec.schedule: "${cron.spec?.schedule}" does not fire every ${job.everyMs / 1000} s`);
    if (cron.spec?.concurrencyPolicy !== 'Forbid') add(cron, 'spec.concurrencyPolicy: must be Forbid');
  }

  const services = ofKind('Service');
  for (const ingress of ofKind('Ingress')) {
    const hosts = (ingress.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
    const rules = ingress.spec?.rules ?? [];
    for (const rule of rules)
      if (!rule.host || !hosts.includes(rule.host))
        add(ingress, `spec.tls: host ${rule.host ?? '(none)'} is not covered by TLS`);
    const backends = [
      ...rules.flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend)),
      ingress.spec?.defaultBackend,
    ];
    for (const backend of backends) {
      const ref = backend?.service;
      if (!ref) continue;
      const service = services.find((s) => s.metadata?.name === ref.name);
      const port = service?.spec?.ports?.find((p) =>
        ref.port?.name ? p.name === ref.port.name : p.port === ref.port?.number,
      );
      const target = port?.targetPort ?? port?.port;
      if (
        ref.port?.number === 9464 ||
        ref.port?.name === 'metrics' ||
        target === 'metrics' ||
        target === 9464
      )
        add(ingress, `spec.rules: routes the metrics port (Service ${ref.name}); only http may be exposed`);
    }
  }
  return out;
}

/** Render and check one overlay. */
export function checkOverlay(env: string): string[] {
  return checkObjects(env, renderOverlay(env));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const envs = process.argv.slice(2);
  let failed = false;
  for (const env of envs.length > 0 ? envs : ENVIRONMENTS) {
    try {
      const objects = renderOverlay(env);
      const violations = checkObjects(env, objects);
      for (const v of violations) console.error(v);
      process.stdout.write(`${env}: ${objects.length} objects, ${violations.length} violation(s)\n`);
      if (violations.length > 0) failed = true;
    } catch (error) {
      console.error((error as Error).message);
      failed = true;
    }
  }
  process.exitCode = failed ? 1 : 0;
}
