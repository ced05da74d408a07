import pino from 'pino';
import type { Config } from '../server/config.ts';
import type { Database } from '../server/db/client.ts';
import type { Job } from '../server/jobs/catalog.ts';
import { runJob } from '../server/jobs/runner.ts';
import { OidcClient } from '../server/modules/identity/identity.oidc.ts';
import { initTracing } from '../server/observability/tracing.ts';
import { LOG_REDACT, traceLogFields } from '../server/plugins/logging.ts';
import { appVersion, devIssuer } from '../server/runtime.ts';

type Out = (line: string) => void;

/**
 * `bi jobs run <name>` (a Kubernetes CronJob, or an operator): the same runner as the in-process scheduler, so
 * the run is in job_runs, traced (exported when OTEL_EXPORTER_OTLP_ENDPOINT is set; flushed before exit) and
 * logged as JSON lines on stderr. Prints `<name>: <result JSON>` and exits 0, or names the failure and exits 1.
 */
export async function runScheduledJob(
  config: Config,
  job: Job,
  database: Database,
  out: Out,
  err: Out,
): Promise<number> {
  const version = appVersion();
  const tracing = initTracing(config, version);
  const log = pino(
    {
      level: config.logLevel,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      base: { service: 'builder-insights', version, env: config.env, process: 'bi' },
      mixin: traceLogFields,
    },
    { write: (line: string) => err(line.trimEnd()) },
  );
  try {
    const issuer = config.oidc.issuer ?? devIssuer(config);
    const oidc = new OidcClient({ ...config.oidc, issuer, allowHttp: config.env !== 'production' });
    const run = await runJob(job, database.db, { oidc, config }, 'cli', { log });
    if (run.outcome === 'success') {
      out(`${job.name}: ${JSON.stringify(run.result)}`);
      return 0;
    }
    err(`${job.name} failed: ${run.error ?? 'unknown error'}`);
    return 1;
  } finally {
    await tracing.shutdown();
  }
}
