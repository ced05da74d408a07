import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/server/db/client.ts';
import { authFlows, jobRuns, people, rateLimits, sessions } from '../../src/server/db/schema.ts';
import { JOBS } from '../../src/server/jobs/catalog.ts';
import { readIdpStatus } from '../../src/server/modules/break-glass/idp-health.ts';
import { OidcClient } from '../../src/server/modules/identity/identity.oidc.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/stack.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.drop();
});

const NOW = new Date('2026-11-21T12:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('cleanup job', () => {
  it('deletes expired sessions, abandoned sign-in flows and finished rate-limit windows, old job runs, and nothing else', async () => {
    const db = test.database.db;
    const [person] = await db
      .insert(people)
      .values({ issuer: 'https://idp', subject: 's1', email: 'a@example.com', displayName: 'A' })
      .returning();
    const session = (tokenHash: string, idle: number, absolute: number) => ({
      tokenHash,
      personId: person?.id ?? '',
      role: 'advocate' as const,
      scope: { kind: 'all' as const },
      idleExpiresAt: at(idle),
      absoluteExpiresAt: at(absolute),
    });
    await db
      .insert(sessions)
      .values([session('live', 10, 600), session('idle', -1, 600), session('old', 10, -1)]);
    await db.insert(authFlows).values([
      { idHash: 'fresh', state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', expiresAt: at(5) },
      { idHash: 'stale', state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/', expiresAt: at(-5) },
    ]);
    await db.insert(rateLimits).values([
      { key: 'k', windowStart: at(-2), count: 3, expiresAt: at(-1) },
      { key: 'k', windowStart: at(0), count: 1, expiresAt: at(1) },
    ]);

    const day = 24 * 60;
    await db.insert(jobRuns).values([
      { job: 'cleanup', trigger: 'cli', startedAt: at(-31 * day), outcome: 'success' },
      { job: 'cleanup', trigger: 'cli', startedAt: at(-29 * day), outcome: 'success' },
    ]);

    const cleanup = JOBS.find((j) => j.name === 'cleanup');
    expect(await cleanup?.run(db, NOW, { oidc: null, config: null })).toEqual({
      sessions: 2,
      authFlows: 1,
      rateLimitWindows: 1,
      logoutTokenIds: 0,
      usageDays: 0,
      usageEvents: 0,
      jobRuns: 1,
    });
    const left = await queryRows<{ t: string; k: string }>(
      db,
      sql`select 'session' as t, token_hash as k from sessions
          union all select 'flow', id_hash from auth_flows
          union all select 'window', key from rate_limits`,
    );
    expect(left.map((r) => `${r.t}:${r.k}`).sort()).toEqual(['flow:fresh', 'session:live', 'window:k']);
    expect(await cleanup?.run(db, NOW, { oidc: null, config: null })).toEqual({
      sessions: 0,
      authFlows: 0,
      rateLimitWindows: 0,
      logoutTokenIds: 0,
      usageDays: 0,
      usageEvents: 0,
      jobRuns: 0,
    });
  });
});

describe('idp-probe job', () => {
  it('records an unreachable identity provider and keeps the start of the outage across failures', async () => {
    const db = test.database.db;
    const probe = JOBS.find((j) => j.name === 'idp-probe');
    const oidc = new OidcClient({
      issuer: `http://127.0.0.1:${await freePort()}`,
      clientId: 'c',
      clientSecret: 's',
      scopes: 'openid',
      redirectUri: 'http://127.0.0.1/cb',
      postLogoutRedirectUri: 'http://127.0.0.1/',
      allowHttp: true,
    });
    expect(await probe?.run(db, at(0), { oidc, config: null })).toEqual({ reachable: false });
    expect(await probe?.run(db, at(1), { oidc, config: null })).toEqual({ reachable: false });
    const status = await readIdpStatus(db);
    expect(status?.failingSince?.toISOString()).toBe(at(0).toISOString());
    expect(status?.lastFailureAt?.toISOString()).toBe(at(1).toISOString());
    expect(await probe?.run(db, at(2), { oidc: null, config: null })).toEqual({
      skipped: 'no identity provider configured',
    });
  });
});
