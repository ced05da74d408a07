import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Cold start (docs/performance.md, planned fix 9): heavy modules that no start-up or /readyz needs are imported
 * by the code that first uses them, not by the composition root. A fresh Node process records every module it
 * resolves (a module hook) while it (1) imports the server and CLI entry points, (2) builds the app on a real,
 * migrated database (PGlite, or PostgreSQL with DATABASE_URL) with a real OIDC issuer configured, and answers
 * /readyz, then (3) asks for the OpenAPI document. A new eager import of one of these packages fails here. The
 * child also runs the entry points' resolve hook (module-resolve.ts) in its verifying mode: each answer it gives
 * instead of Node's resolver must equal Node's.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const url = (file: string) => pathToFileURL(path.join(ROOT, file)).href;

/** Needed by no start-up: PDF exports and packages, QR codes, the dev IdP, OTLP export, OpenAPI, deploy/ YAML. */
const LAZY = [
  'pdfkit',
  'fontkit',
  'qrcode',
  'oidc-provider',
  'koa',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/otlp-transformer',
  '@fastify/swagger',
  'yaml',
];

const CHILD = `
import { registerHooks } from 'node:module';
const packages = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const match = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/(?!.*\\/node_modules\\/)/.exec(resolved.url);
    if (match) packages.add(match[1]);
    return resolved;
  },
});
const snapshot = () => [...packages].sort();
const env = JSON.parse(process.env.CHILD_URLS);
// The entry points' resolve shortcuts, checked against Node's own resolver for every answer they give.
const { installResolveShortcuts } = await import(env.resolve);
const shortcuts = installResolveShortcuts({ verify: true });
await import(env.server);
await import(env.cli);
const entryPoints = snapshot();

const { loadConfig } = await import(env.config);
const { buildApp } = await import(env.app);
const { OidcClient } = await import(env.oidc);
const { createTestDatabase } = await import(env.db);
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  SESSION_SECRET: 'cold-start-test-secret-0123456789-abcdefghij',
  OIDC_ISSUER: 'http://127.0.0.1:9/issuer',
  OIDC_CLIENT_ID: 'bi',
  OIDC_CLIENT_SECRET: 'bi-secret',
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
});
const db = await createTestDatabase();
const app = await buildApp({
  config,
  database: db.database,
  oidc: new OidcClient({ ...config.oidc, allowHttp: true }),
  sessionSecret: 'cold-start-test-secret-0123456789-abcdefghij',
});
const readyz = (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
const afterReady = snapshot();
const openapi = await app.inject({ method: 'GET', url: '/api/openapi.json' });
const afterOpenApi = snapshot();
await app.close();
await db.drop();
process.stdout.write(JSON.stringify({
  entryPoints,
  afterReady,
  readyz,
  openapi: { status: openapi.statusCode, paths: Object.keys(openapi.json().paths ?? {}).length },
  afterOpenApi,
  shortcuts,
}));
`;

interface ChildReport {
  entryPoints: string[];
  afterReady: string[];
  readyz: number;
  openapi: { status: number; paths: number };
  afterOpenApi: string[];
  shortcuts: { memo: number; local: number; mismatches: string[] };
}

describe('cold start loads no heavy module it does not need', () => {
  it('neither the entry points nor building the app and answering /readyz import them', () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        CHILD_URLS: JSON.stringify({
          resolve: url('src/server/module-resolve.ts'),
          server: url('src/server/server.ts'),
          cli: url('src/cli/bi.ts'),
          config: url('src/server/config.ts'),
          app: url('src/server/app.ts'),
          oidc: url('src/server/modules/identity/identity.oidc.ts'),
          db: url('test/helpers/db.ts'),
        }),
      },
    });
    expect(child.status, child.stderr).toBe(0);
    const report = JSON.parse(child.stdout) as ChildReport;

    // The hook sees packages at all (the check is not vacuous).
    expect(report.entryPoints).toEqual(expect.arrayContaining(['fastify', 'zod', 'drizzle-orm']));
    for (const name of LAZY) {
      expect(report.entryPoints, `${name} imported by an entry point`).not.toContain(name);
      expect(report.afterReady, `${name} imported while building the app or answering /readyz`).not.toContain(
        name,
      );
    }
    // Each database driver is loaded only when that database is used.
    expect(report.entryPoints).not.toContain('@electric-sql/pglite');
    expect(report.entryPoints).not.toContain('pg');
    expect(report.readyz).toBe(200);

    // The lazily loaded OpenAPI generator still answers on first request, and loads only then.
    expect(report.openapi.status).toBe(200);
    expect(report.openapi.paths).toBeGreaterThan(50);
    expect(report.afterOpenApi).toContain('@fastify/swagger');

    // Every module resolution the entry points' hook answered itself is the one Node's resolver gives.
    expect(report.shortcuts.mismatches).toEqual([]);
    expect(report.shortcuts.memo).toBeGreaterThan(100);
    expect(report.shortcuts.local).toBeGreaterThan(100);
  });
});
