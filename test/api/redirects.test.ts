import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.ts';
import { attemptSignIn, type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Issue 12 §3: open redirects and session fixation. The one redirect parameter is `returnTo` (on
 * /auth/login and /auth/step-up, kept in the sign-in flow and followed after the callback); every other
 * redirect of the app has a fixed target (/ → /admin/ or /capture/, /admin → /admin/, break-glass → /admin/,
 * a form → its /f/<slug>/thanks page, logout → the IdP's configured end-session URL). Rotation on step-up and
 * on a role change is proven in session-policy.test.ts; rotation over an earlier valid session of the same
 * person in auth.test.ts ("keys people by issuer + subject").
 */
let stack: TestStack;
let priya: Session;

beforeAll(async () => {
  stack = await startStack();
  priya = await stack.signIn('Priya', { auth: 'mfa' });
});
afterAll(async () => {
  await stack?.close();
});

/** As an attacker would write them into a link, in the query string exactly as given. */
const HOSTILE = [
  'https://evil.example',
  '//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  'javascript:alert(1)',
  '%2F%2Fevil.example',
  '/%09/evil.example',
  '/%5Cevil.example',
  '%2F%5Cevil.example',
  '///evil.example',
  '/%0D%0ALocation:%20https://evil.example',
  'https:evil.example',
  '/%E2%82%AC', // a character a header cannot carry raw (€)
  'data:text/html,<script>alert(1)</script>',
];

const sameOrigin = (target: string) =>
  new URL(target, stack.baseUrl).origin === new URL(stack.baseUrl).origin;

/** Follow the app's own redirects (not the IdP's) from `start`; every Location must stay on our origin. */
async function finalTargetAfterSignIn(returnToQuery: string, start = '/auth/login') {
  const result = await attemptSignIn(stack, 'Priya', {
    auth: 'mfa',
    start,
    jar: start === '/auth/step-up' ? priya.jar : undefined,
    // attemptSignIn encodes returnTo; decode the attacker's query text first so the server sees exactly it.
    returnTo: safeDecode(returnToQuery),
  });
  return result.response;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

describe('open redirects', () => {
  it('keeps /auth/login and /auth/step-up (signed out) on our origin before the identity provider', async () => {
    const problems: string[] = [];
    for (const value of HOSTILE) {
      for (const start of ['/auth/login', '/auth/step-up']) {
        const response = await fetch(`${stack.baseUrl}${start}?returnTo=${value}`, { redirect: 'manual' });
        const target = response.headers.get('location') ?? '';
        const idp = target.startsWith(stack.idp.issuer);
        if (response.status >= 500 || !(idp || sameOrigin(target)))
          problems.push(`${start}?returnTo=${value} → ${response.status} ${target}`);
        // Signed out, step-up goes to sign-in with a returnTo that is already safe.
        if (start === '/auth/step-up' && !idp) expect(target).toMatch(/^\/auth\/login\?returnTo=%2F/);
      }
    }
    expect(problems).toEqual([]);
  });

  for (const [what, start] of [
    ['sign-in', '/auth/login'],
    ['step-up', '/auth/step-up'],
  ] as const) {
    it(`ends every ${what} on our origin, whatever returnTo says`, async () => {
      const problems: string[] = [];
      for (const value of HOSTILE) {
        const response = await finalTargetAfterSignIn(value, start);
        const target = response.headers.get('location') ?? '';
        if (
          response.status !== 302 ||
          !target.startsWith('/') ||
          target.startsWith('//') ||
          !sameOrigin(target)
        )
          problems.push(`${value} → ${response.status} ${target}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('still returns to a legitimate page, query and hash included', async () => {
    const response = await finalTargetAfterSignIn(encodeURIComponent('/admin/insights?type=bug#top'));
    expect(response.headers.get('location')).toBe('/admin/insights?type=bug#top');
  });

  it('sends logout to the configured identity provider only, returning to our origin', async () => {
    const session = (await attemptSignIn(stack, 'Maya')).session;
    if (!session) throw new Error('no session');
    const response = await session.post('/auth/logout', {});
    const { redirectTo } = (await response.json()) as { redirectTo: string };
    expect(new URL(redirectTo).origin).toBe(new URL(stack.idp.issuer).origin);
    const back = new URL(redirectTo).searchParams.get('post_logout_redirect_uri') ?? '';
    expect(new URL(back).origin).toBe(new URL(stack.baseUrl).origin);
  });
});

describe('session fixation', () => {
  /** A cookie the attacker managed to set in the victim's browser before the victim signs in. */
  function plant(session: ReturnType<TestStack['newJar']>, value: string) {
    session.store(
      stack.baseUrl,
      new Response(null, {
        headers: { 'set-cookie': `bi_session=${value}; Path=/; HttpOnly; SameSite=Lax` },
      }),
    );
    expect(session.get('127.0.0.1', 'bi_session')).toBe(value);
  }

  it('never adopts a planted unknown value, and clears it when it is presented', async () => {
    const planted = 'attacker-chosen-value-0123456789abcdefghijklmno';
    const jar = stack.newJar();
    plant(jar, planted);
    const refused = await request(jar, `${stack.baseUrl}/api/v1/me`);
    expect(refused.status).toBe(401);
    const cleared = refused.headers.getSetCookie().find((c) => c.startsWith('bi_session='));
    expect(cleared).toMatch(/^bi_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    expect(jar.get('127.0.0.1', 'bi_session')).toBeUndefined();

    plant(jar, planted);
    const { response, session } = await attemptSignIn(stack, 'Ari', { jar });
    expect(response.status).toBe(302);
    const after = jar.get('127.0.0.1', 'bi_session');
    expect(after).toBeTruthy();
    expect(after).not.toBe(planted);
    expect(session && (await session.get('/api/v1/me')).status).toBe(200);
    const withPlanted = await fetch(`${stack.baseUrl}/api/v1/me`, {
      headers: { cookie: `bi_session=${planted}` },
    });
    expect(withPlanted.status).toBe(401);
  });

  it("replaces an attacker's own valid session planted in the victim's browser, and ends it", async () => {
    const attacker = (await attemptSignIn(stack, 'Ben')).session;
    if (!attacker) throw new Error('no session');
    const attackerToken = attacker.jar.get('127.0.0.1', 'bi_session') ?? '';
    const jar = stack.newJar();
    plant(jar, attackerToken);
    const { response } = await attemptSignIn(stack, 'Camila', { jar });
    expect(response.status).toBe(302);
    const victimToken = jar.get('127.0.0.1', 'bi_session');
    expect(victimToken).not.toBe(attackerToken);
    const me = await request(jar, `${stack.baseUrl}/api/v1/me`);
    expect(((await me.json()) as { person: { email: string } }).person.email).toBe(
      'camila.reyes@example.com',
    );
    // The planted session is gone: the attacker cannot ride along on the victim's sign-in.
    expect((await attacker.get('/api/v1/me')).status).toBe(401);
  });
});
