import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteEntry, routeTable } from '../../src/server/plugins/route-contract.ts';
import { withNonce } from '../../src/server/plugins/static-web.ts';
import { location, request } from '../helpers/http.ts';
import { personFor, type Session, startStack, type TestStack } from '../helpers/stack.ts';

/**
 * Issue 12 §3, per response: every GET route of the route table (no hand-kept list), anonymous and as a
 * signed-in admin, carries the security headers; HTML carries a CSP whose script nonce is fresh every time and
 * matches the page's script tags; over https, HSTS and `__Host-` cookies.
 */
let stack: TestStack;
let priya: Session;
let webRoot: string;

/** A shell shaped like Vite's output: one entry script, module preloads, a stylesheet. */
const SHELL = `<!doctype html>
<html lang="en">
  <head>
    <title>APP</title>
    <script type="module" crossorigin src="/assets/APP-abc.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/chunk-abc.js">
    <link rel="stylesheet" crossorigin href="/assets/APP-abc.css">
  </head>
  <body><div id="root"></div></body>
</html>`;

beforeAll(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'bi-web-headers-'));
  for (const app of ['capture', 'admin']) {
    mkdirSync(path.join(webRoot, app), { recursive: true });
    writeFileSync(path.join(webRoot, app, 'index.html'), SHELL.replaceAll('APP', app));
  }
  mkdirSync(path.join(webRoot, 'assets'));
  writeFileSync(path.join(webRoot, 'assets', 'admin-abc.js'), 'export {}');
  stack = await startStack({ webRoot });
  priya = await stack.signIn('Priya', { auth: 'mfa' });
});
afterAll(async () => {
  await stack?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

/** A concrete URL for a route: a random uuid for every parameter (→ 404 or 400, which must carry headers too). */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace(/\*$/, 'x');
}

function cspDirectives(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

const scriptSources = (csp: Map<string, string[]>) => csp.get('script-src') ?? csp.get('default-src') ?? [];
const nonceOf = (csp: Map<string, string[]>) =>
  scriptSources(csp)
    .find((s) => s.startsWith("'nonce-"))
    ?.slice(7, -1) ?? null;

/** What is wrong with one response's headers (empty when nothing is). */
function headerProblems(route: RouteEntry, response: Response): string[] {
  const problems: string[] = [];
  const h = response.headers;
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const csp = cspDirectives(h.get('content-security-policy'));
  const html = (h.get('content-type') ?? '').startsWith('text/html');
  expect(h.get('x-content-type-options') === 'nosniff', 'nosniff');
  expect(h.get('referrer-policy') === 'no-referrer', 'Referrer-Policy no-referrer');
  expect(h.get('x-frame-options') === 'DENY', 'X-Frame-Options DENY');
  expect(csp.size > 0, 'a CSP');
  const scripts = scriptSources(csp);
  expect(scripts.length > 0, 'script-src or default-src');
  expect(!scripts.includes("'unsafe-inline'"), "no 'unsafe-inline' for scripts");
  expect(!scripts.includes("'unsafe-eval'"), "no 'unsafe-eval' for scripts");
  expect(
    !scripts.includes('*') && !scripts.some((s) => /^(https?|data|blob):$/.test(s)),
    'no wildcard scripts',
  );
  expect(h.get('server') === null, 'no Server header');
  expect(h.get('x-powered-by') === null, 'no X-Powered-By');
  expect(h.get('strict-transport-security') === null, 'no HSTS over http');
  if (html) {
    expect(csp.get('frame-ancestors')?.join(' ') === "'none'", "frame-ancestors 'none' on HTML");
    expect(csp.get('object-src')?.join(' ') === "'none'", "object-src 'none' on HTML");
    expect(csp.get('base-uri')?.join(' ') === "'none'", "base-uri 'none' on HTML");
    expect(/^[A-Za-z0-9_-]{22,}$/.test(nonceOf(csp) ?? ''), 'a script nonce on HTML');
  }
  const { auth, kind } = route.config;
  if ((kind === 'api' && auth !== 'public') || kind === 'page') {
    expect(/\bno-store\b/.test(h.get('cache-control') ?? ''), `Cache-Control no-store (${auth} ${kind})`);
  }
  return problems.map((p) => `${route.method} ${route.url} → ${response.status}: ${p}`);
}

const getRoutes = () => routeTable(stack.app).filter((r) => r.method === 'GET');

describe('security headers on every GET route', () => {
  it('enumerates the route table: pages, assets, the API and SCIM', () => {
    const kinds = new Set(getRoutes().map((r) => `${r.config.kind}:${r.config.auth}`));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['api:public', 'api:scim', 'api:session', 'api:session_or_token']),
    );
    expect(kinds).toContain('page:public');
    expect(kinds).toContain('asset:public');
    expect(getRoutes().length).toBeGreaterThan(100);
  });

  for (const as of ['anonymous', 'admin'] as const) {
    it(`sets them on every response, ${as}`, async () => {
      const problems: string[] = [];
      const statuses = new Set<number>();
      for (const route of getRoutes()) {
        const url = concrete(route.url);
        const response =
          as === 'admin'
            ? await priya.get(url)
            : await fetch(`${stack.baseUrl}${url}`, { redirect: 'manual' });
        await response.arrayBuffer();
        statuses.add(response.status);
        problems.push(...headerProblems(route, response));
      }
      expect(problems).toEqual([]);
      // Successes, redirects, refusals and not-founds were all among them.
      if (as === 'admin') expect([...statuses]).toEqual(expect.arrayContaining([200, 302, 404]));
      else expect([...statuses]).toEqual(expect.arrayContaining([200, 302, 401, 404]));
    });
  }

  it('sets them on an unknown URL and on a refused method too', async () => {
    const unknown = await fetch(`${stack.baseUrl}/no/such/page`);
    expect(unknown.status).toBe(404);
    const refused = await fetch(`${stack.baseUrl}/auth/logout`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
    const fake: RouteEntry = { method: 'GET', url: '(none)', config: {} as RouteEntry['config'], schema: {} };
    expect([...headerProblems(fake, unknown), ...headerProblems(fake, refused)]).toEqual([]);
  });

  it('gives every HTML response its own nonce, on every script tag and module preload of the app shells', async () => {
    const html = getRoutes().filter((r) => r.config.kind === 'page' || r.config.kind === 'asset');
    const seen = new Set<string>();
    let shells = 0;
    for (const route of html) {
      for (let i = 0; i < 2; i += 1) {
        const response = await priya.get(concrete(route.url));
        const body = await response.text();
        if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
        const nonce = nonceOf(cspDirectives(response.headers.get('content-security-policy'))) ?? '';
        expect({ route: route.url, fresh: !seen.has(nonce) }).toEqual({ route: route.url, fresh: true });
        seen.add(nonce);
        const scripts = body.match(/<script\b[^>]*>/g) ?? [];
        for (const tag of [...scripts, ...(body.match(/<link\b[^>]*modulepreload[^>]*>/g) ?? [])]) {
          expect(tag).toContain(`nonce="${nonce}"`);
        }
        if (scripts.length > 0) {
          shells += 1;
          expect(body).toContain(`<meta property="csp-nonce" nonce="${nonce}" />`);
        }
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(10);
    expect(shells).toBe(4); // /admin/* and /capture/*, twice each
  });

  it('puts the nonce on scripts and module preloads only, leaving styles and text alone', () => {
    const out = withNonce(SHELL, 'N0nce');
    expect(out).toContain('<script nonce="N0nce" type="module"');
    expect(out).toContain('<link nonce="N0nce" rel="modulepreload"');
    expect(out).toContain('<link rel="stylesheet"');
    expect(out.match(/N0nce/g)).toHaveLength(3);
  });
});

/** Sign in on a stack whose public URL is https (the test still talks http to it, as an ingress would). */
async function signInSecure(secure: TestStack, who: string) {
  const jar = secure.newJar();
  const publicUrl = secure.config.publicUrl;
  const local = (url: string) =>
    url.startsWith(publicUrl) ? `${secure.baseUrl}${url.slice(publicUrl.length)}` : url;
  const setCookies: string[] = [];
  let url = `${secure.baseUrl}/auth/login?returnTo=%2Fadmin%2F`;
  for (let hop = 0; hop < 12; hop += 1) {
    let response = await request(jar, url);
    if (url.startsWith(`${secure.idp.issuer}/interaction/`) && response.status === 200) {
      response = await request(jar, `${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ sub: personFor(who).sub, auth: 'mfa' }).toString(),
      });
    }
    if (url.startsWith(secure.baseUrl)) setCookies.push(...response.headers.getSetCookie());
    if (url.startsWith(`${secure.baseUrl}/auth/callback`)) return { jar, response, setCookies };
    url = local(location(response, url));
  }
  throw new Error('too many redirects');
}

describe('over https (PUBLIC_URL https://…)', () => {
  let secure: TestStack;
  beforeAll(async () => {
    secure = await startStack({ env: { PUBLIC_URL: 'https://127.0.0.1' } });
  });
  afterAll(async () => {
    await secure?.close();
  });

  it('sends HSTS and upgrade-insecure-requests, and sets only __Host- Secure HttpOnly SameSite cookies', async () => {
    expect(secure.config.secureCookies).toBe(true);
    const { jar, response, setCookies } = await signInSecure(secure, 'Priya');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/admin/');
    const names = setCookies.map((c) => c.slice(0, c.indexOf('=')));
    expect(names).toEqual(expect.arrayContaining(['__Host-bi_login', '__Host-bi_session']));
    for (const cookie of setCookies) {
      const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
      expect({ cookie: cookie.slice(0, 20), name: cookie.startsWith('__Host-') }).toEqual({
        cookie: cookie.slice(0, 20),
        name: true,
      });
      // A browser drops a __Host- cookie (a deletion too) without Secure and Path=/, or with a Domain.
      expect(attributes).toEqual(expect.arrayContaining(['secure', 'samesite=lax', 'path=/']));
      if (!attributes.includes('max-age=0')) expect(attributes).toContain('httponly');
      expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    }
    const session = jar.get('127.0.0.1', '__Host-bi_session');
    expect(session).toBeTruthy();
    for (const url of ['/healthz', '/', '/api/v1/me', '/no/such/page']) {
      const answer = await request(jar, `${secure.baseUrl}${url}`);
      expect({ url, hsts: answer.headers.get('strict-transport-security') }).toEqual({
        url,
        hsts: 'max-age=31536000; includeSubDomains',
      });
      expect(
        cspDirectives(answer.headers.get('content-security-policy')).has('upgrade-insecure-requests'),
      ).toBe(true);
    }
    expect((await request(jar, `${secure.baseUrl}/api/v1/me`)).status).toBe(200);
    // The plain-http cookie name means nothing here.
    const anonymous = await fetch(`${secure.baseUrl}/api/v1/me`, {
      headers: { cookie: `bi_session=${session}` },
    });
    expect(anonymous.status).toBe(401);
  });
});
