import { z } from 'zod';

/**
 * Observability and audit-integrity settings: traces (OTLP), the internal metrics port, the audit signing key,
 * checkpoints and retention, and the database role the runtime uses. Parsed with the rest of the environment
 * by config.ts (the one reader of the environment); kept here so config.ts stays small.
 */
export const OBSERVABILITY_HELP = {
  METRICS_PORT:
    'internal TCP port for Prometheus /metrics, never routed by the ingress (default 9464; 0 = no metrics listener)',
  METRICS_HOST: 'interface the metrics listener binds (default: HOST)',
  OTEL_EXPORTER_OTLP_ENDPOINT:
    'OTLP/HTTP collector base URL, e.g. http://otel-collector.observability:4318 (traces go to <url>/v1/traces); unset = traces are created for log correlation but not exported',
  OTEL_EXPORTER_OTLP_HEADERS:
    'extra headers for the OTLP exporter as key=value pairs separated by commas (a secret when it carries a token)',
  OTEL_SERVICE_NAME: 'service.name resource attribute (default builder-insights)',
  OTEL_RESOURCE_ATTRIBUTES:
    'extra resource attributes as key=value pairs separated by commas, e.g. deployment.environment.name=staging',
  OTEL_TRACES_SAMPLER_ARG:
    'share of new traces sampled, 0-1 (default 1; a sampled parent is always followed)',
  POD_NAME: 'the Kubernetes pod name (downward API), recorded as k8s.pod.name and service.instance.id',
  AUDIT_SIGNING_KEY:
    'Ed25519 private key (PKCS#8 PEM, or its base64) that signs audit checkpoints (a secret); unset outside production = a key generated in DATA_DIR',
  AUDIT_SIGNING_KEY_ID:
    'name of the signing key recorded with each checkpoint (default: a fingerprint of its public key)',
  AUDIT_VERIFY_KEYS:
    'JSON object of earlier public keys still trusted for verification after a rotation: {"key-id":"-----BEGIN PUBLIC KEY-----…"}',
  AUDIT_CHECKPOINT_MINUTES: 'minutes between signed audit checkpoints, 1-1440 (default 15)',
  AUDIT_HOT_DAYS:
    'days audit events stay in the database before they may be archived and pruned, 30-3650 (default 400)',
  AUDIT_ARCHIVE_DIR:
    'directory the audit archive job writes JSON Lines segments to (default DATA_DIR/audit-archive)',
  SHUTDOWN_GRACE_MS:
    'milliseconds in-flight requests and jobs get to finish after SIGTERM before connections are cut, 1000-600000 (default 25000; keep it below terminationGracePeriodSeconds, docs/operations/shutdown.md)',
  DATABASE_RUNTIME_ROLE:
    'PostgreSQL role the server assumes on every connection (SET ROLE), e.g. bi_runtime; migrations keep the login role',
} as const;

const intIn = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number between ${min} and ${max}` })
    .int(`must be a whole number between ${min} and ${max}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** key=value,key=value (the OpenTelemetry environment format); values may be percent-encoded. */
const keyValueList = z.string().transform((text, ctx) => {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) {
      ctx.addIssue({ code: 'custom', message: 'must be key=value pairs separated by commas' });
      return z.NEVER;
    }
    try {
      out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a value is not valid percent-encoding' });
      return z.NEVER;
    }
  }
  return out;
});

const verifyKeys = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1).max(100), z.string().min(40).max(2000)));

export const ObservabilityEnv = {
  METRICS_PORT: intIn(0, 65535).default(9464),
  METRICS_HOST: z.string().min(1).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ error: 'must be an absolute URL such as http://collector:4318' })
    .optional(),
  OTEL_EXPORTER_OTLP_HEADERS: keyValueList.optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(100).default('builder-insights'),
  OTEL_RESOURCE_ATTRIBUTES: keyValueList.optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number({ error: 'must be a number between 0 and 1' })
    .min(0, 'must be at least 0')
    .max(1, 'must be at most 1')
    .default(1),
  POD_NAME: z.string().min(1).max(253).optional(),
  AUDIT_SIGNING_KEY: z.string().min(40).max(4000).optional(),
  AUDIT_SIGNING_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 letters, digits, or . _ : -')
    .optional(),
  AUDIT_VERIFY_KEYS: verifyKeys.optional(),
  AUDIT_CHECKPOINT_MINUTES: intIn(1, 1440).default(15),
  AUDIT_HOT_DAYS: intIn(30, 3650).default(400),
  AUDIT_ARCHIVE_DIR: z.string().min(1).optional(),
  SHUTDOWN_GRACE_MS: intIn(1000, 600_000).default(25_000),
  DATABASE_RUNTIME_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain PostgreSQL role name such as bi_runtime')
    .optional(),
};

export interface ObservabilitySettings {
  /** 0 = no metrics listener. */
  metricsPort: number;
  metricsHost: string;
  /** How long in-flight requests and jobs may run after SIGTERM (server.ts). */
  shutdownGraceMs: number;
  tracing: {
    /** undefined = spans are made (trace ids in logs) but not exported. */
    otlpEndpoint: string | undefined;
    /** Secret when it carries a token: never logged. */
    otlpHeaders: Record<string, string>;
    serviceName: string;
    resourceAttributes: Record<string, string>;
    sampleRatio: number;
    podName: string | undefined;
  };
}

export interface AuditSettings {
  /** Secret (PEM or base64 of PEM). undefined outside production = generated into DATA_DIR (runtime.ts). */
  signingKey: string | undefined;
  signingKeyId: string | undefined;
  /** Earlier public keys (PEM), by key id, still trusted when verifying old checkpoints. */
  verifyKeys: Record<string, string>;
  checkpointMinutes: number;
  hotDays: number;
  archiveDir: string;
}

const ObservabilityEnvSchema = z.object(ObservabilityEnv);
type Parsed = z.output<typeof ObservabilityEnvSchema>;

export function observabilityFrom(
  e: Parsed,
  base: { host: string; dataDir: string; production: boolean },
  problems: string[],
): { observability: ObservabilitySettings; audit: AuditSettings; runtimeRole: string | undefined } {
  if (base.production && !e.AUDIT_SIGNING_KEY)
    problems.push(
      `AUDIT_SIGNING_KEY: required in production (checkpoints must be signed by a key the database cannot see). Set it to ${OBSERVABILITY_HELP.AUDIT_SIGNING_KEY}.`,
    );
  return {
    observability: {
      metricsPort: e.METRICS_PORT,
      metricsHost: e.METRICS_HOST ?? base.host,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      tracing: {
        otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, ''),
        otlpHeaders: e.OTEL_EXPORTER_OTLP_HEADERS ?? {},
        serviceName: e.OTEL_SERVICE_NAME,
        resourceAttributes: e.OTEL_RESOURCE_ATTRIBUTES ?? {},
        sampleRatio: e.OTEL_TRACES_SAMPLER_ARG,
        podName: e.POD_NAME,
      },
    },
    audit: {
      signingKey: e.AUDIT_SIGNING_KEY,
      signingKeyId: e.AUDIT_SIGNING_KEY_ID,
      verifyKeys: e.AUDIT_VERIFY_KEYS ?? {},
      checkpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
      hotDays: e.AUDIT_HOT_DAYS,
      archiveDir: e.AUDIT_ARCHIVE_DIR ?? `${base.dataDir.replace(/\/+$/, '')}/audit-archive`,
    },
    runtimeRole: e.DATABASE_RUNTIME_ROLE,
  };
}
