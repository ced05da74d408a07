import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT } from '../../src/server/config.ts';
import { type DevIdp, startDevIdp } from '../../src/server/devidp/devidp.ts';
import {
  type BreakGlassDeps,
  type Enrolment,
  enrollPrincipal,
} from '../../src/server/modules/break-glass/break-glass.service.ts';
import { readIdpStatus } from '../../src/server/modules/break-glass/idp-health.ts';
import { systemContext } from '../../src/server/modules/identity/actor.ts';
import { type CookieJar, location, request } from '../helpers/http.ts';
import { personFor, SESSION_SECRET, Session, startStack, type TestStack } from '../helpers/stack.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

/**
 * The identity provider is slow, then down, then back, while the app keeps running. The provider sits behind
 * a TCP proxy on the address of its issuer URL (it listens on 127.0.0.2, the proxy on 127.0.0.1 at the same
 * port), so the app, the browser and the signed tokens all see the one issuer. What must hold: sign-in answers
 * a clear 503 page (never a hang, never a stack) whether the provider is slower than the app's discovery
 * timeout (10 s, OidcClient) or refuses connections; the outage is recorded from its first failure; break-glass
 * opens without approval once the outage is BREAK_GLASS_IDP_DOWN_MINUTES old, and closes again when the
 * provider answers. test/api/break-glass.test.ts already proves the gate is closed while the provider is healthy
 * and opens after the period when it is down; this file adds the slow provider, the pages, and recovery.
 */
const DISCOVERY_TIMEOUT_MS = 10_000;
let stack: TestStack;
let idp: DevIdp;
let proxy: TcpProxy;
const clock = { offset: 0 };
/** The app's clock: pinned, moved by the test (outage minutes, TOTP steps). */
const start = Date.now();
const now = () => new Date(start + clock.offset);
let one: Enrolment;
let two: Enrolment;
let breakGlass: Session;

beforeAll(async () => {
  stack = await startStack({ now, env: { TRUST_PROXY: '1' } });
  // The same provider again, behind the proxy: the stack's own provider makes way for it on the issuer's port.
  const port = Number(new URL(stack.idp.issuer).port);
  await stack.idp.close();
  idp = await startDevIdp({
    env: 'test',
    host: '127.0.0.2',
    port,
    publicHost: '127.0.0.1',
    clients: [
      {
        clientId: DEV_CLIENT.id,
        clientSecret: DEV_CLIENT.secret,
        redirectUris: [stack.config.oidc.redirectUri],
        postLogoutRedirectUris: [stack.config.oidc.postLogoutRedirectUri],
      },
    ],
  });
  expect(idp.issuer).toBe(stack.idp.issuer);
  proxy = await startTcpProxy({ target: { host: '127.0.0.2', port }, listen: { host: '127.0.0.1', port } });
  const deps: BreakGlassDeps = { db: db(), sessionSecret: SESSION_SECRET, now };
  one = await enrollPrincipal(deps, systemContext('test'), 'ops-one');
  two = await enrollPrincipal(deps, systemContext('test'), 'ops-two');
});
afterAll(async () => {
  await proxy?.close();
  await idp?.close();
  await stack?.close();
});

const db = () => stack.db.database.db;
const idpStatus = () => readIdpStatus(db());

async function login(): Promise<{ response: Response; ms: number; html: string }> {
  const started = Date.now();
  const response = await fetch(`${stack.baseUrl}/auth/login?returnTo=%2Fcapture%2F`, {
    redirect: 'manual',
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS + 10_000),
  });
  const html = await response.text();
  return { response, ms: Date.now() - started, html };
}

/** The page a person sees when sign-in cannot reach the provider: plain words, a way on, nothing internal. */
function expectClearUnavailablePage(page: { response: Response; html: string }) {
  expect(page.response.status).toBe(503);
  expect(page.response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.html).toContain('Sign-in is unavailable');
  expect(page.html).toContain("We can't reach the identity provider right now.");
  expect(page.html).toContain('href="/auth/login"');
  expect(page.html).toContain('href="/auth/break-glass"');
  expect(page.html).not.toMatch(/ECONN|TimeoutError|aborted|fetch failed|\bat \S+:\d+|127\.0\.0\.|node:/);
}

let ipSeq = 0;
function nextCode(p: Enrolment): string {
  clock.offset += 30_000;
  return (OTPAuth.URI.parse(p.otpauthUri) as OTPAuth.TOTP).generate({ timestamp: now().getTime() });
}
async function breakGlassAttempt(p: Enrolment, jar: CookieJar = stack.newJar()) {
  const response = await request(jar, `${stack.baseUrl}/auth/break-glass`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': `198.51.100.${++ipSeq}`,
    },
    body: new URLSearchParams({
      name: p.name,
      secret: p.secret,
      code: nextCode(p),
      reason: 'Okta is down: restoring access for the incident',
    }).toString(),
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS + 10_000),
  });
  return { response, jar, text: await response.text() };
}

describe('the identity provider slow, down, and back', () => {
  it(
    'slower than the discovery timeout: sign-in answers the unavailable page once the timeout passes, and the outage starts',
    async () => {
      expect(await idpStatus()).toBeNull();
      proxy.slow(DISCOVERY_TIMEOUT_MS + 5_000);
      const page = await login();
      expectClearUnavailablePage(page);
      expect(page.ms).toBeGreaterThanOrEqual(DISCOVERY_TIMEOUT_MS - 500);
      expect(page.ms).toBeLessThan(DISCOVERY_TIMEOUT_MS + 5_000);
      expect(await idpStatus()).toMatchObject({ failingSince: now(), lastSuccessAt: null });
    },
    DISCOVERY_TIMEOUT_MS + 20_000,
  );

  it('down (connections refused): the same page at once, and the outage keeps its start', async () => {
    const startedAt = (await idpStatus())?.failingSince;
    await proxy.pause();
    clock.offset += 60_000;
    const page = await login();
    expectClearUnavailablePage(page);
    expect(page.ms).toBeLessThan(3_000);
    expect(await idpStatus()).toMatchObject({ failingSince: startedAt, lastFailureAt: now() });
  });

  it(`break-glass stays closed while the outage is young, and opens once it is ${5} minutes old`, async () => {
    expect(stack.config.breakGlass.idpDownMinutes).toBe(5);
    const young = await breakGlassAttempt(one);
    expect(young.response.status).toBe(403);
    expect(young.text).toContain('A second admin must approve');

    clock.offset += 4 * 60_000;
    const opened = await breakGlassAttempt(one);
    expect(opened.response.status, opened.text).toBe(303);
    breakGlass = new Session(opened.jar, stack.baseUrl);
    breakGlass.csrf = (await breakGlass.json<{ csrfToken: string }>('/api/v1/me')).csrfToken;
    expect(await breakGlass.json('/api/v1/admin/break-glass')).toMatchObject({
      idp: { reachable: false },
      gate: { open: true, mode: 'idp_unreachable' },
    });
  });

  it('back: sign-in redirects to the provider again, the outage ends, break-glass closes, SSO works', async () => {
    await proxy.resume();
    const page = await login();
    expect(page.response.status).toBe(302);
    expect(location(page.response, stack.baseUrl)).toMatch(new RegExp(`^${stack.idp.issuer}/`));
    expect(await idpStatus()).toMatchObject({ failingSince: null, lastSuccessAt: now() });

    expect(await breakGlass.json('/api/v1/admin/break-glass')).toMatchObject({
      idp: { reachable: true },
      gate: { open: false, mode: null },
    });
    const refused = await breakGlassAttempt(two);
    expect(refused.response.status).toBe(403);
    expect(refused.text).toContain('A second admin must approve');

    const maya = await stack.signIn('Maya');
    expect((await maya.json<{ person: { email: string } }>('/api/v1/me')).person.email).toBe(
      personFor('Maya').email,
    );
  });

  it('down before the callback: the code exchange fails at once with the unavailable words, not a bad token', async () => {
    const url = await walkToCallback();
    await proxy.pause();
    const callback = await atCallback(url);
    await proxy.resume();
    expect(callback.ms).toBeLessThan(3_000);
    expectClearCallbackFailure(callback);
  });

  it(
    'slower than the timeout before the callback: the code exchange gives up after 10 s with the same page',
    async () => {
      const url = await walkToCallback();
      // Fresh connections only: an idle keep-alive one would be closed by the provider and fail sooner.
      await proxy.pause();
      await proxy.resume();
      proxy.slow(DISCOVERY_TIMEOUT_MS + 5_000);
      const callback = await atCallback(url);
      await proxy.resume();
      expect(callback.ms).toBeGreaterThanOrEqual(DISCOVERY_TIMEOUT_MS - 500);
      expect(callback.ms).toBeLessThan(DISCOVERY_TIMEOUT_MS + 3_000);
      expectClearCallbackFailure(callback);
    },
    DISCOVERY_TIMEOUT_MS + 25_000,
  );
});

/** A browser's sign-in up to the moment the provider sends it back to the app: the callback URL, not followed. */
async function walkToCallback(): Promise<{ url: string; jar: CookieJar }> {
  const jar = stack.newJar();
  let url = `${stack.baseUrl}/auth/login?returnTo=%2Fcapture%2F`;
  for (let hop = 0; hop < 10 && !url.startsWith(`${stack.baseUrl}/auth/callback`); hop += 1) {
    let response = await request(jar, url);
    if (url.startsWith(`${stack.idp.issuer}/interaction/`) && response.status === 200)
      response = await request(jar, `${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ sub: personFor('Maya').sub, auth: 'enrolled' }).toString(),
      });
    url = location(response, url);
  }
  expect(url).toContain('/auth/callback?');
  return { url, jar };
}

async function atCallback({ url, jar }: { url: string; jar: CookieJar }) {
  const started = Date.now();
  const response = await request(jar, url, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS + 20_000) });
  return { response, html: await response.text(), ms: Date.now() - started };
}

/** The callback's failure page: 503 (the provider, not the person or the token, is the problem), plain words. */
function expectClearCallbackFailure({ response, html }: { response: Response; html: string }) {
  expect(response.status).toBe(503);
  expect(html).toMatch(/We can(&#39;|')t reach the identity provider right now\./);
  expect(html).toContain('href="/auth/login"');
  expect(html).toContain('(idp_unreachable)');
  expect(html).not.toMatch(/ECONN|TimeoutError|aborted|fetch failed|127\.0\.0\.|node:/);
}
