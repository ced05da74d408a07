import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * Facts read from the deployment files shipped with the code (deploy/ is in the image): the Kustomize overlays
 * per environment, the base Deployment's probes and the Grafana dashboards' titles. Read at generation time,
 * so a package states what the repository deploys, not what someone remembers. Never reads a secret: the
 * ExternalSecret only names keys, and only the ConfigMap's non-secret settings are used.
 */
export const DEPLOY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../deploy');
export const OVERLAY_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface OverlayFacts {
  environment: string;
  namespace: string | null;
  host: string | null;
  issuerHost: string | null;
  replicas: number | null;
  autoscaling: string | null;
  resources: string | null;
  logLevel: string | null;
  image: string | null;
}

interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
}

function patchesFor(kustomization: Json, kind: string): PatchOp[] {
  const patches = Array.isArray(kustomization.patches) ? kustomization.patches : [];
  return patches.flatMap((p: unknown) => {
    if (!isObject(p) || !isObject(p.target) || p.target.kind !== kind || typeof p.patch !== 'string')
      return [];
    const ops = parse(p.patch) as unknown;
    return Array.isArray(ops) ? (ops.filter(isObject) as unknown as PatchOp[]) : [];
  });
}

const valueAt = (ops: PatchOp[], at: string) => ops.find((o) => o.path === at && o.op !== 'remove')?.value;

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

function resourcesText(value: unknown): string | null {
  if (!isObject(value)) return null;
  const requests = isObject(value.requests) ? value.requests : {};
  const limits = isObject(value.limits) ? value.limits : {};
  const part = (o: Json) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  return `requests ${part(requests) || '—'}; limits ${part(limits) || '—'}`;
}

function readYaml(file: string): unknown {
  return parse(readFileSync(file, 'utf8'));
}

function baseDeployment(): Json | null {
  const doc = readYaml(path.join(DEPLOY_DIR, 'k8s/base/deployment.yaml'));
  return isObject(doc) ? doc : null;
}

function container(deployment: Json | null): Json | null {
  const spec = deployment && isObject(deployment.spec) ? deployment.spec : null;
  const template = spec && isObject(spec.template) ? spec.template : null;
  const podSpec = template && isObject(template.spec) ? template.spec : null;
  const containers = podSpec && Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const first = containers[0] as unknown;
  return isObject(first) ? first : null;
}

export function overlayFacts(environment: string): OverlayFacts {
  const k = readYaml(path.join(DEPLOY_DIR, 'k8s/overlays', environment, 'kustomization.yaml'));
  const kustomization = isObject(k) ? k : {};
  const config = patchesFor(kustomization, 'ConfigMap');
  const hpa = patchesFor(kustomization, 'HorizontalPodAutoscaler');
  const deployment = patchesFor(kustomization, 'Deployment');
  const replicas = Array.isArray(kustomization.replicas) ? (kustomization.replicas[0] as unknown) : null;
  const images = Array.isArray(kustomization.images) ? (kustomization.images[0] as unknown) : null;
  const min = valueAt(hpa, '/spec/minReplicas');
  const max = valueAt(hpa, '/spec/maxReplicas');
  const baseResources = container(baseDeployment())?.resources;
  return {
    environment,
    namespace: typeof kustomization.namespace === 'string' ? kustomization.namespace : null,
    host: hostOf(valueAt(config, '/data/PUBLIC_URL')),
    issuerHost: hostOf(valueAt(config, '/data/OIDC_ISSUER')),
    replicas: isObject(replicas) && typeof replicas.count === 'number' ? replicas.count : null,
    autoscaling: min !== undefined && max !== undefined ? `${String(min)}–${String(max)} pods` : null,
    resources: resourcesText(
      valueAt(deployment, '/spec/template/spec/containers/0/resources') ?? baseResources,
    ),
    logLevel: (valueAt(config, '/data/LOG_LEVEL') as string | undefined) ?? null,
    image: isObject(images)
      ? `${String(images.newName ?? images.name)}:${String(images.newTag ?? 'latest')}`
      : null,
  };
}

export interface ProbeFacts {
  probe: string;
  path: string;
  timing: string;
}

export function probeFacts(): ProbeFacts[] {
  const c = container(baseDeployment());
  if (!c) return [];
  return (['startupProbe', 'readinessProbe', 'livenessProbe'] as const).flatMap((name) => {
    const probe = c[name];
    if (!isObject(probe)) return [];
    const http = isObject(probe.httpGet) ? probe.httpGet : {};
    const timing = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold']
      .filter((k) => probe[k] !== undefined)
      .map((k) => `${k.replace('Seconds', '')} ${String(probe[k])}${k.endsWith('Seconds') ? ' s' : ''}`)
      .join(', ');
    return [{ probe: name.replace('Probe', ''), path: String(http.path ?? '—'), timing }];
  });
}

export function baseFacts(): { terminationGrace: string | null; strategy: string | null } {
  const d = baseDeployment();
  const spec = d && isObject(d.spec) ? d.spec : {};
  const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
  const strategy =
    isObject(spec.strategy) && isObject(spec.strategy.rollingUpdate) ? spec.strategy.rollingUpdate : null;
  return {
    terminationGrace:
      template.terminationGracePeriodSeconds !== undefined
        ? `${String(template.terminationGracePeriodSeconds)} s`
        : null,
    strategy: strategy
      ? `RollingUpdate (maxUnavailable ${String(strategy.maxUnavailable)}, maxSurge ${String(strategy.maxSurge)})`
      : null,
  };
}

export function dashboardTitles(): { file: string; title: string }[] {
  const dir = path.join(DEPLOY_DIR, 'observability/grafana');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown;
      return { file, title: isObject(doc) && typeof doc.title === 'string' ? doc.title : file };
    });
}
