import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, HELP, loadConfig } from '../../src/server/config.ts';

const PROD = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://insights.example.com',
  OIDC_ISSUER: 'https://example.okta.com/oauth2/default',
  OIDC_CLIENT_ID: 'client',
  OIDC_CLIENT_SECRET: 'secret',
  SESSION_SECRET: 's'.repeat(48),
  DATABASE_URL: 'postgres://app@db.internal:5432/insights',
  // Presence and size are checked here; the key itself is parsed when checkpoints are signed.
  AUDIT_SIGNING_KEY: 'k'.repeat(64),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      secureCookies: false,
      database: { kind: 'pglite', dataDir: './.data' },
      devIdpPort: 3001,
      session: { idleMinutes: 480, adminIdleMinutes: 30, absoluteHours: 12 },
      bodyLimit: 1_048_576,
    });
    expect(config.oidc.issuer).toBeUndefined();
    expect(config.oidc.redirectUri).toBe('http://localhost:3000/auth/callback');
  });

  it('names the variable, what was wrong and how to fix it', () => {
    const [portProblem] = problems({ PORT: 'abc' });
    expect(portProblem).toMatch(/^PORT: .* \(got "abc"\)\. Set PORT to .*PORT=3000/);
    expect(problems({ ROLE_GROUPS: '{not json' })[0]).toMatch(/^ROLE_GROUPS: must be valid JSON/);
    expect(problems({ ROLE_GROUPS: '{"g":"superuser"}' })[0]).toMatch(
      /^ROLE_GROUPS: roles are viewer, advocate, manager, admin/,
    );
    expect(problems({ DATABASE_URL: 'mysql://x' })[0]).toMatch(/^DATABASE_URL: must start with postgres/);
    expect(problems({ SESSION_SECRET: 'short' })[0]).toMatch(
      /^SESSION_SECRET: must be at least 32 characters/,
    );
    expect(problems({ OIDC_ISSUER: 'https://idp.example.com' })[0]).toMatch(
      /OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/,
    );
    // Trusting every forwarded hop would let clients pick the IP we rate-limit and audit.
    expect(problems({ TRUST_PROXY: 'true' })[0]).toMatch(/^TRUST_PROXY: must be false or a number of hops/);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(PROD);
    expect(config).toMatchObject({ env: 'production', host: '0.0.0.0', secureCookies: true });
    expect(config.database.kind).toBe('postgres');
  });

  it('refuses insecure settings in production, each with a clear message', () => {
    const without = (name: keyof typeof PROD) => {
      const env: Record<string, string> = { ...PROD };
      delete env[name];
      return problems(env);
    };
    expect(without('OIDC_ISSUER').join()).toMatch(
      /OIDC_ISSUER: required in production; the dev identity provider never runs/,
    );
    expect(problems({ ...PROD, OIDC_ISSUER: 'http://idp.example.com' }).join()).toMatch(
      /OIDC_ISSUER: must use https/,
    );
    expect(without('SESSION_SECRET').join()).toMatch(/SESSION_SECRET: required in production/);
    expect(without('OIDC_CLIENT_SECRET').join()).toMatch(/OIDC_CLIENT_SECRET: required in production/);
    expect(problems({ ...PROD, PUBLIC_URL: 'http://insights.example.com' }).join()).toMatch(
      /PUBLIC_URL: must use https/,
    );
    expect(without('DATABASE_URL').join()).toMatch(/DATABASE_URL: required in production/);
    expect(without('AUDIT_SIGNING_KEY').join()).toMatch(/AUDIT_SIGNING_KEY: required in production/);
    expect(problems({ ...PROD, BREAK_GLASS_WEBHOOK_URL: 'http://hooks.example.com/x' }).join()).toMatch(
      /BREAK_GLASS_WEBHOOK_URL: must use https/,
    );
  });

  it('is documented: .env.example lists exactly the variables config.ts reads', () => {
    const example = readFileSync(path.resolve('.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(HELP).sort());
  });

  it('is the only reader of process.env in application code', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.tsx?$/.test(name) && readFileSync(file, 'utf8').includes('process.env'))
          offenders.push(file);
      }
    };
    walk(path.resolve('src'));
    expect(offenders.map((f) => path.relative(process.cwd(), f))).toEqual(['src/server/config.ts']);
  });
});

describe('observability configuration', () => {
  it('has internal metrics on 9464 and no trace export by default', () => {
    const config = loadConfig({});
    expect(config.observability.metricsPort).toBe(9464);
    expect(config.observability.metricsHost).toBe('127.0.0.1');
    expect(config.observability.shutdownGraceMs).toBe(25_000);
    expect(config.observability.tracing.otlpEndpoint).toBeUndefined();
    expect(config.observability.tracing.sampleRatio).toBe(1);
    expect(config.audit).toMatchObject({
      checkpointMinutes: 15,
      hotDays: 400,
      archiveDir: './.data/audit-archive',
    });
  });

  it('parses OTEL key=value lists, sampler ratio and the runtime role', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D,tenant = blue',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      DATABASE_URL: 'postgres://app@db:5432/x',
      DATABASE_RUNTIME_ROLE: 'bi_runtime',
    });
    expect(config.observability.tracing).toMatchObject({
      otlpEndpoint: 'http://collector:4318',
      otlpHeaders: { 'x-api-key': 'abc=', tenant: 'blue' },
      resourceAttributes: { 'deployment.environment.name': 'staging' },
      sampleRatio: 0.25,
    });
    expect(config.database).toMatchObject({ kind: 'postgres', runtimeRole: 'bi_runtime' });
  });

  it('names the variable when an observability setting is wrong', () => {
    expect(problems({ OTEL_TRACES_SAMPLER_ARG: '2' }).join()).toMatch(
      /OTEL_TRACES_SAMPLER_ARG: must be at most 1/,
    );
    expect(problems({ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }).join()).toMatch(
      /OTEL_EXPORTER_OTLP_HEADERS: must be key=value pairs/,
    );
    expect(problems({ DATABASE_RUNTIME_ROLE: 'x; drop table' }).join()).toMatch(/DATABASE_RUNTIME_ROLE/);
    expect(problems({ AUDIT_VERIFY_KEYS: '{"k":1}' }).join()).toMatch(/AUDIT_VERIFY_KEYS/);
    expect(problems({ METRICS_PORT: '70000' }).join()).toMatch(/METRICS_PORT: must be at most 65535/);
    expect(problems({ SHUTDOWN_GRACE_MS: '10' }).join()).toMatch(/SHUTDOWN_GRACE_MS: must be at least 1000/);
  });
});
