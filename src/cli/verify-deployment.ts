import { parseArgs } from 'node:util';
import { DEPLOY_ENVIRONMENTS, DeployEnvironmentSchema } from '../contract/api/readiness.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { systemContext } from '../server/modules/identity/actor.ts';
import { addRecord } from '../server/modules/readiness/readiness.attest.ts';
import { withDatabase } from './database.ts';

/**
 * `bi verify-deployment --url <base>`: checks a running deployment from the outside, the way the deploy and
 * rollback runbooks need it (docs/operations/deploy.md). Each check prints `ok` or `FAIL` with the reason;
 * exit 0 when every check passed, 1 when any failed, 2 on usage errors. Only public endpoints are read: no
 * credentials are needed or sent.
 */
export const VERIFY_HELP = `  verify-deployment --url <base> [--metrics-url <url>] [--expect-version <v>] [--expect-issuer <url>]
                   Check a running deployment: /healthz, /readyz (database and migrations), the sign-in
                   redirect to the identity provider, the metrics endpoint (default <base host>:9464/metrics)
                   and the version. Exit 0 when every check passed, 1 when any failed.
                   --record --env <${DEPLOY_ENVIRONMENTS.join('|')}>: also store the result as that environment's
                   deployment verification in the configured database (the readiness gate reads it; audited).
`;

type Out = (line: string) => void;

export interface VerifyOptions {
  url: string;
  metricsUrl?: string | undefined;
  expectVersion?: string | undefined;
  expectIssuer?: string | undefined;
  timeoutMs?: number;
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const TIMEOUT_MS = 5_000;

export async function verifyDeploymentCli(
  argv: string[],
  out: Out,
  err: Out,
  env?: NodeJS.ProcessEnv,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        url: { type: 'string' },
        'metrics-url': { type: 'string' },
        'expect-version': { type: 'string' },
        'expect-issuer': { type: 'string' },
        record: { type: 'boolean' },
        env: { type: 'string' },
      },
    }));
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n\nUsage:\n${VERIFY_HELP}`);
    return 2;
  }
  const url = typeof values.url === 'string' ? values.url : '';
  if (!/^https?:\/\//.test(url)) {
    err(`verify-deployment needs --url <base>, e.g. --url https://insights.example.com\n\n${VERIFY_HELP}`);
    return 2;
  }
  const environment = DeployEnvironmentSchema.safeParse(values.env);
  if (values.record && !environment.success) {
    err(`verify-deployment --record needs --env <${DEPLOY_ENVIRONMENTS.join('|')}>\n\n${VERIFY_HELP}`);
    return 2;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const performedAt = new Date();
  const checks = await verifyDeployment({
    url,
    metricsUrl: str(values['metrics-url']),
    expectVersion: str(values['expect-version']),
    expectIssuer: str(values['expect-issuer']),
  });
  for (const check of checks)
    (check.ok ? out : err)(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  (failed ? err : out)(
    failed ? `${failed} of ${checks.length} checks failed.` : `All ${checks.length} checks passed.`,
  );
  if (values.record && environment.success) {
    const stored = await recordVerification(environment.data, url, checks, performedAt, env, out, err);
    if (!stored) return 2;
  }
  return failed ? 1 : 0;
}

/** Store the checks as a readiness record (kind deployment_verification, source cli; audited, system context). */
async function recordVerification(
  environment: (typeof DEPLOY_ENVIRONMENTS)[number],
  url: string,
  checks: Check[],
  performedAt: Date,
  env: NodeJS.ProcessEnv | undefined,
  out: Out,
  err: Out,
): Promise<boolean> {
  try {
    const config = loadConfig(env);
    const passed = checks.filter((c) => c.ok).length;
    const saved = await withDatabase(config, (database) =>
      addRecord(
        database.db,
        systemContext('cli:verify-deployment'),
        {
          kind: 'deployment_verification',
          environment,
          outcome: passed === checks.length ? 'passed' : 'failed',
          performedAt: performedAt.toISOString(),
          notes: `${passed} of ${checks.length} checks passed against ${url}`.slice(0, 2000),
          details: Object.fromEntries(checks.map((c) => [c.name, { ok: c.ok, detail: c.detail }])),
        },
        'cli',
        new Date(),
      ),
    );
    out(`Recorded as the ${environment} deployment verification (${saved.outcome}, ${saved.id}).`);
    return true;
  } catch (e) {
    err(
      `Could not record the verification: ${e instanceof ConfigError ? e.message : e instanceof Error ? e.message : String(e)}`,
    );
    return false;
  }
}

/** Run every check in order; never throws (a network error is a failed check with its reason). */
export async function verifyDeployment(options: VerifyOptions): Promise<Check[]> {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const get = async (target: string) => {
    try {
      return await fetch(target, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw new Error(`GET ${target}: ${reason(e, timeoutMs)}`);
    }
  };
  const checks: Check[] = [];
  const run = async (name: string, check: () => Promise<string>) => {
    try {
      checks.push({ name, ok: true, detail: await check() });
    } catch (e) {
      checks.push({ name, ok: false, detail: reason(e, timeoutMs) });
    }
  };

  await run('healthz', async () => {
    const response = await get(`${base}/healthz`);
    if (response.status !== 200) throw new Error(`GET /healthz answered ${response.status}, expected 200`);
    return 'process is alive (200)';
  });

  await run('readyz', async () => {
    const response = await get(`${base}/readyz`);
    const text = await response.text();
    let body: { checks?: Record<string, unknown> } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // reported below with the raw status
    }
    if (response.status === 200)
      return `database ${body.checks?.database}, migrations ${body.checks?.migrations}`;
    // The failing checks first in words ("database unreachable"); migrations are unknown when it is.
    const checks = body.checks ?? {};
    const problems = Object.entries(checks)
      .filter(([, value]) => !['ok', 'current', false].includes(value as string | boolean))
      .filter(([key]) => !(key === 'migrations' && checks.database === 'unreachable'))
      .map(([key, value]) => (value === true ? key : `${key} ${String(value)}`));
    throw new Error(
      `GET /readyz answered ${response.status}${problems.length ? `: ${problems.join(', ')}` : ''} ${JSON.stringify(body.checks ?? text.slice(0, 200))}`,
    );
  });

  await run('sign-in redirect', async () => {
    const response = await get(`${base}/auth/login`);
    const location = response.headers.get('location');
    if (![302, 303].includes(response.status) || !location)
      throw new Error(`GET /auth/login answered ${response.status}, expected a 302/303 redirect`);
    const target = new URL(location, base);
    const endpoint = `${target.origin}${target.pathname}`;
    if (target.searchParams.get('response_type') !== 'code' || !target.searchParams.get('client_id'))
      throw new Error(`redirect to ${endpoint} is not an OIDC authorization request`);
    if (!options.expectIssuer) return `redirects to ${endpoint} (no --expect-issuer to compare with)`;
    const issuer = options.expectIssuer.replace(/\/+$/, '');
    const discovery = await get(`${issuer}/.well-known/openid-configuration`);
    if (discovery.status !== 200)
      throw new Error(`the issuer's discovery document answered ${discovery.status}`);
    const meta = (await discovery.json()) as { issuer?: string; authorization_endpoint?: string };
    if (meta.authorization_endpoint !== endpoint)
      throw new Error(
        `redirects to ${endpoint}, but ${issuer} authorizes at ${meta.authorization_endpoint ?? '(none)'}`,
      );
    return `redirects to ${issuer}'s authorization endpoint ${endpoint}`;
  });

  let metricsVersion: string | undefined;
  const metricsUrl = options.metricsUrl ?? defaultMetricsUrl(base);
  await run('metrics', async () => {
    const response = await get(metricsUrl);
    if (response.status !== 200) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
    const text = await response.text();
    const line = text.split('\n').find((l) => l.startsWith('bi_build_info{'));
    if (!line) throw new Error(`${metricsUrl} has no bi_build_info series`);
    metricsVersion = /version="([^"]*)"/.exec(line)?.[1];
    return `${metricsUrl} reachable, bi_build_info present`;
  });

  await run('version', async () => {
    let version = metricsVersion;
    let source = 'bi_build_info';
    if (version === undefined) {
      const response = await get(`${base}/api/openapi.json`);
      if (response.status !== 200) throw new Error(`GET /api/openapi.json answered ${response.status}`);
      version = ((await response.json()) as { info?: { version?: string } }).info?.version;
      source = 'the OpenAPI document';
    }
    if (!version) throw new Error('neither bi_build_info nor the OpenAPI document names a version');
    if (options.expectVersion && version !== options.expectVersion)
      throw new Error(`running ${version} (from ${source}), expected ${options.expectVersion}`);
    return `running ${version} (from ${source})`;
  });
  return checks;
}

/** The internal metrics port on the same host: METRICS_PORT's default (docs/observability.md). */
function defaultMetricsUrl(base: string): string {
  const url = new URL(base);
  return `${url.protocol === 'https:' ? 'http:' : url.protocol}//${url.hostname}:9464/metrics`;
}

function reason(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return `no answer within ${timeoutMs / 1000} s`;
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message;
    return why ? `${e.message} (${why})` : e.message;
  }
  return String(e);
}
