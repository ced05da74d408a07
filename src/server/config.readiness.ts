import { z } from 'zod';
import { DEPLOY_ENVIRONMENTS, type DeployEnvironment } from '../contract/api/readiness.ts';

/**
 * Readiness-model settings (docs/readiness.md): which deployment environment this process is (the gates read
 * that environment's deployment verifications and rollback drills) and where the Prometheus that scrapes us
 * lives (the alert-rules gate asks it which rules it loaded). Parsed by config.ts, kept here to keep it small.
 */
export const READINESS_HELP = {
  DEPLOY_ENVIRONMENT:
    'which deployment this is: local | dev | staging | prod (default local); the readiness gates read its deployment verifications and rollback drills',
  PROMETHEUS_URL:
    'base URL of the Prometheus that scrapes this service, e.g. http://prometheus.observability:9090 (the readiness model checks GET <url>/api/v1/rules lists our alert rules); unset = that gate fails',
  READINESS_HTTP_TIMEOUT_MS:
    'milliseconds the readiness model waits for the identity provider discovery document and Prometheus, 200-30000 (default 3000)',
} as const;

export const ReadinessEnv = {
  DEPLOY_ENVIRONMENT: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(DEPLOY_ENVIRONMENTS, { error: `must be one of ${DEPLOY_ENVIRONMENTS.join(', ')}` }))
    .default('local'),
  PROMETHEUS_URL: z.url({ error: 'must be an absolute URL such as http://prometheus:9090' }).optional(),
  READINESS_HTTP_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a whole number between 200 and 30000' })
    .int('must be a whole number between 200 and 30000')
    .min(200, 'must be at least 200')
    .max(30_000, 'must be at most 30000')
    .default(3000),
};

export interface ReadinessSettings {
  environment: DeployEnvironment;
  /** Without a trailing slash; undefined = the alert-rules gate fails ("not configured"). */
  prometheusUrl: string | undefined;
  httpTimeoutMs: number;
}

const ReadinessEnvSchema = z.object(ReadinessEnv);

export function readinessFrom(e: z.output<typeof ReadinessEnvSchema>): ReadinessSettings {
  return {
    environment: e.DEPLOY_ENVIRONMENT,
    prometheusUrl: e.PROMETHEUS_URL?.replace(/\/+$/, ''),
    httpTimeoutMs: e.READINESS_HTTP_TIMEOUT_MS,
  };
}
