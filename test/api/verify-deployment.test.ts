import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricsServer, startMetricsServer } from '../../src/server/observability/metrics-server.ts';
import { cliRunner } from '../helpers/cli.ts';
import { suiteDatabase } from '../helpers/db.ts';
import { freePort, startStack, type TestStack } from '../helpers/stack.ts';

/** `bi verify-deployment` against a locally started server: all ok, then the database goes away. */
let stack: TestStack;
let metrics: MetricsServer;
const bi = cliRunner(() => ({}));

beforeAll(async () => {
  stack = await startStack();
  metrics = await startMetricsServer({ port: await freePort(), host: '127.0.0.1', log: stack.app.log });
});
afterAll(async () => {
  await metrics?.close();
  await stack?.app.close();
  await stack?.idp.close();
  // The database was closed by the test: drop this file's PostgreSQL database directly.
  const suite = suiteDatabase();
  if (suite.kind === 'postgres' && stack?.db.url) {
    const admin = new pg.Client({ connectionString: suite.url });
    await admin.connect();
    await admin.query(`drop database if exists ${new URL(stack.db.url).pathname.slice(1)} with (force)`);
    await admin.end();
  }
});

describe('bi verify-deployment', () => {
  it('passes every check against a healthy deployment, then fails naming the database when it is down', async () => {
    const args = [
      'verify-deployment',
      '--url',
      stack.baseUrl,
      '--metrics-url',
      `http://127.0.0.1:${metrics.port}/metrics`,
      '--expect-issuer',
      stack.idp.issuer,
      '--expect-version',
      'dev',
    ];
    const healthy = await bi(...args);
    expect(healthy.err).toBe('');
    expect(healthy.code).toBe(0);
    for (const name of ['healthz', 'readyz', 'sign-in redirect', 'metrics', 'version'])
      expect(healthy.out).toContain(`ok   ${name}:`);
    expect(healthy.out).toContain('All 5 checks passed.');

    const wrong = await bi(...args.slice(0, -1), '9.9.9');
    expect(wrong).toMatchObject({ code: 1, err: expect.stringContaining('FAIL version: running dev') });

    await stack.db.database.close();
    const down = await bi(...args);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/FAIL readyz: GET \/readyz answered 503: database unreachable/);
    expect(down.out).toContain('ok   healthz:');

    expect(await bi('verify-deployment')).toMatchObject({ code: 2, err: expect.stringContaining('--url') });
  }, 15_000);
});
