import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE } from '../../src/server/plugins/rate-limit.ts';
import { enforceRouteContract } from '../../src/server/plugins/route-contract.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let ari: Session;
let ben: Session;
let webRoot: string;

beforeAll(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'bi-web-'));
  for (const app of ['capture', 'admin']) {
    mkdirSync(path.join(webRoot, app), { recursive: true });
    writeFileSync(path.join(webRoot, app, 'index.html'), `<!doctype html><title>${app}</title>`);
  }
  mkdirSync(path.join(webRoot, 'assets'));
  writeFileSync(path.join(webRoot, 'assets', 'app-abc123.js'), 'console.log(1)');
  stack = await startStack({ webRoot });
  ari = await stack.signIn('ari.levy@example.com');
  ben = await stack.signIn('ben.carter@example.com');
});
afterAll(async () => {
  await stack?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown }>>;
}

describe('HTTP conventions', () => {
  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await fetch(`${stack.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as OpenApi;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/dashboard',
        '/api/v1/events',
        '/api/v1/insights',
        '/api/v1/insights/{id}',
        '/api/v1/me',
        '/api/v1/sessions',
        '/api/v1/claims-model',
        '/auth/logout',
        '/auth/universal-logout',
        '/auth/backchannel-logout',
        '/healthz',
        '/readyz',
      ]),
    );
    for (const [route, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect({
          route,
          method,
          has200: Object.keys(op.responses ?? {}).some((s) => s.startsWith('2')),
          declares429: '429' in (op.responses ?? {}),
          declares401and403: ['401', '403'].every((s) => s in (op.responses ?? {})),
        }).toEqual({
          route,
          method,
          has200: true,
          declares429: true,
          declares401and403: 'security' in op,
        });
      }
    }
    const create = doc.paths['/api/v1/insights']?.post as { requestBody?: unknown; security?: unknown };
    expect(JSON.stringify(create?.requestBody)).toContain('"additionalProperties":false');
    expect(create?.security).toEqual([{ session: [] }, { bearer: ['insights:write'] }]);
    const me = doc.paths['/api/v1/me']?.get as { security?: unknown };
    expect(me?.security).toEqual([{ session: [] }]);
    const health = doc.paths['/healthz']?.get as { security?: unknown } | undefined;
    expect(health).toBeDefined();
    expect(health?.security).toBeUndefined();
  });

  it('answers 401 problem+json on every session route without a session — nothing is readable', async () => {
    const doc = (await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json()) as OpenApi;
    let checked = 0;
    for (const [route, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // Public operations (health, IdP-to-app logout) authenticate otherwise; the document says which.
        if (!(op as { security?: unknown }).security) continue;
        const url = `${stack.baseUrl}${route.replace('{id}', randomUUID()).replace('{version}', '1')}`;
        const response = await fetch(url, {
          method: method.toUpperCase(),
          headers: method === 'get' ? {} : { 'content-type': 'application/json' },
          body: method === 'get' ? null : '{}',
        });
        expect({ route, method, status: response.status }).toEqual({ route, method, status: 401 });
        // SCIM speaks its own error schema (RFC 7644 §3.12); everything else answers problem+json.
        const type = route.startsWith('/scim/v2/')
          ? /^application\/scim\+json/
          : /^application\/problem\+json/;
        expect({ route, type: response.headers.get('content-type') }).toEqual({
          route,
          type: expect.stringMatching(type),
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('refuses at start-up a route that does not declare auth, rate limit, kind and response schema', async () => {
    const declare = async (config: Record<string, unknown>, schema: Record<string, unknown> = {}) => {
      const app = Fastify();
      enforceRouteContract(app);
      app.route({ method: 'POST', url: '/x', config, schema, handler: async () => ({}) });
      await app.ready();
      await app.close();
    };
    await expect(declare({ kind: 'api', rateLimit: RATE.read })).rejects.toThrow(/must declare config.auth/);
    await expect(declare({ auth: 'session', kind: 'api' })).rejects.toThrow(/config.rateLimit/);
    // A signed-in route says who may use it, and whose record its path names.
    await expect(declare({ auth: 'session', kind: 'api', rateLimit: RATE.read })).rejects.toThrow(
      /config.access.roles/,
    );
    const access = { roles: ['admin'] };
    const declareAt = async (url: string, config: Record<string, unknown>) => {
      const app = Fastify();
      enforceRouteContract(app);
      app.route({ method: 'GET', url, config, schema: { response: { 200: {} } }, handler: async () => ({}) });
      await app.ready();
      await app.close();
    };
    await expect(
      declareAt('/x/:id', { auth: 'session', kind: 'api', rateLimit: RATE.read, access }),
    ).rejects.toThrow(/config.access.record/);
    await expect(
      declareAt('/x', { auth: 'public', kind: 'api', rateLimit: RATE.read, access }),
    ).rejects.toThrow(/cannot declare config.access/);
    await expect(declare({ auth: 'session', kind: 'api', rateLimit: RATE.read, access })).rejects.toThrow(
      /response schemas/,
    );
    await expect(
      declare({ auth: 'session', kind: 'api', rateLimit: RATE.read, access }, { response: { 200: {} } }),
    ).rejects.toThrow(/body schema/);
  });

  it('sets security headers and echoes a request id', async () => {
    const response = await fetch(`${stack.baseUrl}/healthz`, {
      headers: { 'x-request-id': 'ingress-req-12345678' },
    });
    expect(response.headers.get('x-request-id')).toBe('ingress-req-12345678');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const minted = await fetch(`${stack.baseUrl}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports liveness without dependencies and readiness with database and migrations', async () => {
    expect(await (await fetch(`${stack.baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${stack.baseUrl}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'current', draining: false },
    });
  });

  it('answers unknown API paths with a 404 problem', async () => {
    const response = await ari.get('/api/v1/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { requestId: string }).requestId).toBeTruthy();
  });

  it('rejects a non-JSON body with 415', async () => {
    const response = await ari.post('/api/v1/insights', 'text=hello', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
  });

  it('logs one JSON line per request with the route template and actor id, never e-mail or names', async () => {
    const id = randomUUID();
    const response = await ari.get(`/api/v1/insights/${id}`);
    const reqId = response.headers.get('x-request-id');
    const line = stack.logs.find((l) => l.msg === 'request completed' && l.reqId === reqId);
    expect(line?.route).toBe('/api/v1/insights/:id');
    expect(line).toMatchObject({ method: 'GET', status: 404, role: 'advocate' });
    expect(line?.actorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line?.reqId).toBeTruthy();
    expect(typeof line?.durationMs).toBe('number');
    const all = JSON.stringify(stack.logs);
    expect(all).not.toContain(id);
    expect(all).not.toContain('@example.com');
    expect(all).not.toContain('Ari Levy');
  });
});

describe('web apps', () => {
  it('serves app shells for every client route, uncached, and hashed assets cached for a year', async () => {
    for (const url of ['/capture/', '/capture/impact', '/admin/', '/admin/insights/x']) {
      const response = await fetch(`${stack.baseUrl}${url}`);
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    expect(await (await fetch(`${stack.baseUrl}/admin/`)).text()).toContain('<title>admin</title>');
    const asset = await fetch(`${stack.baseUrl}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${stack.baseUrl}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${stack.baseUrl}/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${stack.baseUrl}/capture`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/capture/',
    );
  });

  it('sends signed-in people from / to their app, and shows others a sign-in page', async () => {
    const landing = await fetch(`${stack.baseUrl}/`);
    expect(await landing.text()).toContain('Sign in with SSO');
    expect((await ari.get('/')).headers.get('location')).toBe('/capture/');
  });
});

describe('rate limits', () => {
  it('answers a person with a readable page (and Retry-After) once sign-in exceeds its budget', async () => {
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i <= RATE.auth.max; i += 1) {
      const response = await fetch(`${stack.baseUrl}/auth/login`, { redirect: 'manual' });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    // Two sign-ins in beforeAll used the same budget.
    expect(statuses.filter((s) => s === 302)).toHaveLength(RATE.auth.max - 2);
    expect(statuses.at(-1)).toBe(429);
    expect(limited?.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await limited?.text()).toContain('Too many requests: retry in');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other routes have their own budget.
    expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
  });

  it('answers an API client with 429 problem+json, counting per person (refused requests count too)', async () => {
    let last: Response | null = null;
    for (let i = 0; i <= RATE.auth.max; i += 1)
      last = await ben.post('/auth/logout', {}, { 'x-csrf-token': 'wrong' });
    expect(last?.status).toBe(429);
    expect(last?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // Another person's budget is untouched.
    expect((await ari.post('/auth/logout', {}, { 'x-csrf-token': 'wrong' })).status).toBe(403);
  });
});
