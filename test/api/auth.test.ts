import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/contract/api/me.ts';
import { auditEvents, people, sessions } from '../../src/server/db/schema.ts';
import { insertPersonIfAbsent } from '../../src/server/modules/identity/identity.repo.ts';
import { location, request } from '../helpers/http.ts';
import { attemptSignIn, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;
const auditOf = (action: string) =>
  db().select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(auditEvents.seq);

describe('SSO sign-in through the dev OIDC provider', () => {
  it('signs an advocate in: PKCE + state + nonce, HttpOnly Lax session cookie, provisional person, audit', async () => {
    const jar = stack.newJar();
    const login = await request(jar, `${stack.baseUrl}/auth/login?returnTo=%2Fcapture%2F`);
    expect(login.status).toBe(302);
    const authorize = new URL(location(login, stack.baseUrl));
    expect(authorize.origin).toBe(stack.idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.baseUrl}/auth/callback`);
    const flowCookie = login.headers.getSetCookie().find((c) => c.startsWith('bi_login='));
    expect(flowCookie).toMatch(/HttpOnly/i);

    const result = await attemptSignIn(stack, 'ari.levy@example.com', { jar });
    expect(result.response.status).toBe(302);
    expect(result.response.headers.get('location')).toBe('/capture/');
    const cookie = result.response.headers.getSetCookie().find((c) => c.startsWith('bi_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);

    const me = await result.session?.json<Me>('/api/v1/me');
    expect(me?.role).toBe('advocate');
    expect(me?.scope).toEqual({ kind: 'limited', teams: ['amer'], trees: [], units: [] });
    expect(me?.person).toMatchObject({
      name: 'Ari Levy',
      email: 'ari.levy@example.com',
      team: 'amer',
      status: 'provisional',
    });
    expect(me?.session.amr).toEqual(['pwd']);

    const [person] = await db().select().from(people).where(eq(people.email, 'ari.levy@example.com'));
    expect(person?.issuer).toBe(stack.idp.issuer);
    expect(person?.subject).toBe('00u-ari-levy');
    const provisioned = await auditOf('person.provisioned');
    expect(provisioned.map((e) => e.targetId)).toContain(person?.id);
    const signIns = await auditOf('auth.sign_in.succeeded');
    const last = signIns.at(-1);
    expect(last).toMatchObject({ actorId: person?.id, outcome: 'success', ip: '127.0.0.1' });
    expect(last?.requestId).toBeTruthy();
    expect(last?.userAgent).toBeTruthy();
    // Tokens stay server-side: nothing token-like reaches the browser.
    expect(JSON.stringify(me)).not.toMatch(/eyJ/);
  });

  it('keys people by issuer + subject: a second sign-in reuses the person and rotates the session', async () => {
    const jar = stack.newJar();
    const first = await attemptSignIn(stack, 'ben.carter@example.com', { jar });
    const firstToken = jar.get('127.0.0.1', 'bi_session');
    const second = await attemptSignIn(stack, 'ben.carter@example.com', { jar });
    expect(first.response.status).toBe(302);
    expect(second.response.status).toBe(302);
    expect(jar.get('127.0.0.1', 'bi_session')).not.toBe(firstToken);
    const rows = await db().select().from(people).where(eq(people.email, 'ben.carter@example.com'));
    expect(rows).toHaveLength(1);
    const personSessions = await db()
      .select()
      .from(sessions)
      .where(eq(sessions.personId, rows[0]?.id ?? ''));
    expect(personSessions).toHaveLength(1);
  });

  it('creates a person once when two tabs finish their first sign-in at the same moment', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => attemptSignIn(stack, 'hannah.schmidt@example.com')),
    );
    expect(results.map((r) => r.response.status)).toEqual([302, 302, 302]);
    const rows = await db().select().from(people).where(eq(people.email, 'hannah.schmidt@example.com'));
    expect(rows).toHaveLength(1);
    const provisioned = (await auditOf('person.provisioned')).filter((e) => e.targetId === rows[0]?.id);
    expect(provisioned).toHaveLength(1);
    // And the losing insert is a no-op, not an error.
    const profile = {
      issuer: rows[0]?.issuer ?? '',
      subject: rows[0]?.subject ?? '',
      email: 'x@example.com',
      displayName: 'X',
      groups: [],
      team: null,
      employeeNumber: null,
    };
    expect(await insertPersonIfAbsent(db(), profile, new Date())).toBeNull();
  });

  it('maps groups to roles and scopes: manager, director (org-wide), admin, viewer', async () => {
    const cases = [
      [
        'maya.patel@example.com',
        'manager',
        { kind: 'limited', teams: ['amer'], trees: [], units: [] },
        ['pwd', 'mfa'],
      ],
      ['dana.okafor@example.com', 'manager', { kind: 'all' }, ['pwd', 'mfa']],
      ['priya.raman@example.com', 'admin', { kind: 'all' }, ['pwd', 'mfa']],
      ['victor.chen@example.com', 'viewer', { kind: 'all' }, ['pwd', 'mfa']],
    ] as const;
    for (const [email, role, scope, amr] of cases) {
      const { session } = await attemptSignIn(stack, email);
      const me = await session?.json<Me>('/api/v1/me');
      expect({ email, role: me?.role, scope: me?.scope, amr: me?.session.amr }).toEqual({
        email,
        role,
        scope,
        amr,
      });
    }
  });

  it('refuses a person outside Builder Relations, with a readable page and an audit event', async () => {
    const before = (await auditOf('auth.sign_in.failed')).length;
    const { response, session } = await attemptSignIn(stack, 'omar.haddad@example.com');
    expect(response.status).toBe(403);
    expect(session).toBeNull();
    const html = await response.text();
    expect(html).toContain('not entitled to Builder Insights');
    expect(html).toContain('href="/auth/login"');
    const failures = await auditOf('auth.sign_in.failed');
    expect(failures).toHaveLength(before + 1);
    expect(failures.at(-1)).toMatchObject({ outcome: 'failure', actorId: null });
    expect(failures.at(-1)?.details).toMatchObject({ reason: 'not_entitled', subject: '00u-omar-haddad' });
    const [omar] = await db().select().from(people).where(eq(people.email, 'omar.haddad@example.com'));
    expect(omar).toBeUndefined();
  });

  it('shows an IdP error (access_denied) as a human message with a retry path, audited', async () => {
    const { response } = await attemptSignIn(stack, 'ari.levy@example.com', { abort: true });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Sign-in was cancelled');
    expect((await auditOf('auth.sign_in.failed')).at(-1)?.details).toMatchObject({
      reason: 'idp_error',
      idpError: 'access_denied',
    });
  });

  it('rejects a replayed callback (single-use login flow) and a forged state', async () => {
    const jar = stack.newJar();
    const { callbackUrl } = await attemptSignIn(stack, 'camila.reyes@example.com', { jar });
    expect(callbackUrl).toBeTruthy();
    const replay = await request(jar, callbackUrl ?? '');
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('expired or was already used');

    // Start a fresh flow, then come back with a state that is not ours.
    const jar2 = stack.newJar();
    await request(jar2, `${stack.baseUrl}/auth/login`);
    const forged = await request(jar2, `${stack.baseUrl}/auth/callback?code=abc&state=forged-state`);
    expect(forged.status).toBe(400);
    expect((await auditOf('auth.sign_in.failed')).at(-1)?.details).toMatchObject({
      reason: 'state_mismatch',
    });
  });

  it('never redirects off-site after sign-in', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const { response } = await attemptSignIn(stack, 'ari.levy@example.com', { returnTo });
      expect(response.headers.get('location')).toBe('/');
    }
  });

  it('logs out: deletes the session server-side, audits, and hands back the IdP end-session URL', async () => {
    const { session } = await attemptSignIn(stack, 'jordan.kim@example.com');
    if (!session) throw new Error('no session');
    const me = await session.json<{ session: { id: string } }>('/api/v1/me');
    const stolenCookie = session.jar.header(stack.baseUrl);

    const noCsrf = await session.post('/auth/logout', {}, { 'x-csrf-token': '' });
    expect(noCsrf.status).toBe(403);

    const out = await session.post('/auth/logout', {});
    expect(out.status).toBe(200);
    const { redirectTo } = (await out.json()) as { redirectTo: string };
    expect(redirectTo.startsWith(`${stack.idp.issuer}/session/end`)).toBe(true);
    expect(new URL(redirectTo).searchParams.get('post_logout_redirect_uri')).toBe(`${stack.baseUrl}/`);
    expect(new URL(redirectTo).searchParams.get('id_token_hint')).toBeTruthy();

    const [row] = await db().select().from(sessions).where(eq(sessions.id, me.session.id));
    expect(row).toBeUndefined();
    // The old cookie, replayed by anyone, is worthless now.
    const replay = await fetch(`${stack.baseUrl}/api/v1/me`, { headers: { cookie: stolenCookie } });
    expect(replay.status).toBe(401);
    expect((await auditOf('auth.logout')).at(-1)).toMatchObject({
      targetId: me.session.id,
      outcome: 'success',
    });
  });

  it('ends sessions at their idle and absolute limits, and for deactivated people', async () => {
    const { session } = await attemptSignIn(stack, 'fatima.zahra@example.com');
    if (!session) throw new Error('no session');
    const me = await session.json<{
      session: { id: string; idleExpiresAt: string; absoluteExpiresAt: string };
      person: { id: string };
    }>('/api/v1/me');
    const idleMs = Date.parse(me.session.idleExpiresAt) - Date.now();
    expect(idleMs).toBeGreaterThan(479 * 60_000);
    expect(idleMs).toBeLessThanOrEqual(480 * 60_000);
    expect(Date.parse(me.session.absoluteExpiresAt) - Date.now()).toBeGreaterThan(11.9 * 3_600_000);

    await db()
      .update(sessions)
      .set({ idleExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.id, me.session.id));
    expect((await session.get('/api/v1/me')).status).toBe(401);

    const again = await attemptSignIn(stack, 'fatima.zahra@example.com');
    await db().update(people).set({ status: 'deactivated' }).where(eq(people.id, me.person.id));
    expect((await again.session?.get('/api/v1/me'))?.status).toBe(401);
    const blocked = await attemptSignIn(stack, 'fatima.zahra@example.com');
    expect(blocked.response.status).toBe(403);
    expect(await blocked.response.text()).toContain('deactivated');
  });

  it('gives admins a shorter idle timeout (30 minutes)', async () => {
    const { session } = await attemptSignIn(stack, 'priya.raman@example.com');
    const me = await session?.json<{ session: { idleExpiresAt: string } }>('/api/v1/me');
    const idleMs = Date.parse(me?.session.idleExpiresAt ?? '') - Date.now();
    expect(idleMs).toBeGreaterThan(29 * 60_000);
    expect(idleMs).toBeLessThanOrEqual(30 * 60_000);
  });
});
