import Fastify, { type FastifyContextConfig } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { OPENAPI_EXAMPLES } from '../../src/server/plugins/openapi.examples.ts';
import { openApiPath } from '../../src/server/plugins/openapi.ts';
import {
  enforceRouteContract,
  type RouteEntry,
  routeTable,
} from '../../src/server/plugins/route-contract.ts';
import { startStack, type TestStack } from '../helpers/stack.ts';

/** The OpenAPI document as an API client reads it: how to authenticate, which scope, what it looks like. */
type Media = { example?: unknown };
type Operation = {
  security?: unknown;
  description?: string;
  'x-token-scope'?: string;
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { content?: Record<string, Media> }>;
  parameters?: { in: string; name: string; example?: unknown }[];
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
};

let stack: TestStack;
let doc: Doc;
let routes: RouteEntry[];
/** The API routes by `METHOD /url`. */
let documented: Map<string, RouteEntry>;

beforeAll(async () => {
  stack = await startStack();
  doc = (await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json()) as Doc;
  routes = routeTable(stack.app).filter((r) => r.config.kind === 'api');
  documented = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]));
});
afterAll(async () => {
  await stack?.close();
});

const operation = (route: { method: string; url: string }) =>
  doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];

/** The resource each token route belongs to, by path: its scope must be that resource's read or write. */
const RESOURCES: [RegExp, string][] = [
  [/^\/api\/v1\/(insights|duplicates|exports\/insights|capture\/|me\/|people\/mentionable)/, 'insights'],
  [/^\/api\/v1\/events/, 'events'],
  [/^\/api\/v1\/org\/people/, 'people'],
  [/^\/api\/v1\/(dashboard|leaderboard|reports\/|themes|saved-views)/, 'reporting'],
  [/^\/api\/v1\/(readiness|decisions|workspace)/, 'readiness'],
];

describe('token routes in the OpenAPI document', () => {
  it('every token route documents bearer auth with the one scope it needs', () => {
    const tokenRoutes = routes.filter((r) => r.config.auth === 'session_or_token');
    expect(tokenRoutes.length).toBeGreaterThan(20);
    for (const route of tokenRoutes) {
      const where = `${route.method} ${route.url}`;
      const scope = route.config.tokenScope;
      const op = operation(route);
      expect(op, where).toBeDefined();
      expect(op?.security, where).toEqual([{ session: [] }, { bearer: [scope] }]);
      expect(op?.['x-token-scope'], where).toBe(scope);
      expect(op?.description, where).toContain(`\`${scope}\``);
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('session-only routes document the session alone and name no scope', () => {
    for (const route of routes.filter((r) => r.config.auth === 'session')) {
      const op = operation(route);
      if (!op) continue; // hidden from the document
      expect(op.security, `${route.method} ${route.url}`).toEqual([{ session: [] }]);
      expect(op['x-token-scope']).toBeUndefined();
    }
    expect(operation({ method: 'POST', url: '/api/v1/tokens' })?.security).toEqual([{ session: [] }]);
  });

  it('each token route needs its own resource’s scope: reads a read scope, changes a write scope', () => {
    for (const route of routes.filter((r) => r.config.auth === 'session_or_token')) {
      const where = `${route.method} ${route.url} (${route.config.tokenScope})`;
      const resource = RESOURCES.find(([pattern]) => pattern.test(route.url))?.[1];
      expect(resource, `${where}: add it to RESOURCES`).toBeDefined();
      const access = route.method === 'GET' ? 'read' : 'write';
      expect(route.config.tokenScope, where).toBe(`${resource}:${access}`);
    }
  });

  it('the operations the issue names accept tokens: insights, events, sessions, people, report summaries', () => {
    const scopeOf = (key: string) => documented.get(key)?.config.tokenScope;
    expect(scopeOf('GET /api/v1/insights')).toBe('insights:read');
    expect(scopeOf('POST /api/v1/insights')).toBe('insights:write');
    expect(scopeOf('GET /api/v1/org/people')).toBe('people:read');
    expect(scopeOf('GET /api/v1/org/people/:id')).toBe('people:read');
    expect(scopeOf('GET /api/v1/dashboard')).toBe('reporting:read');
    expect(scopeOf('GET /api/v1/reports/executive')).toBe('reporting:read');
    expect(scopeOf('GET /api/v1/events')).toBe('events:read');
  });
});

describe('the route contract for token routes', () => {
  it('refuses a token route without a scope and a privileged route without a session', async () => {
    const base = { kind: 'api', rateLimit: { max: 1, timeWindow: 1000 } } as const;
    const cases: [FastifyContextConfig, RegExp][] = [
      [{ auth: 'session_or_token', ...base }, /must declare config.tokenScope/],
      [{ auth: 'session', tokenScope: 'insights:read', ...base }, /does not accept API tokens/],
      [{ auth: 'session_or_token', tokenScope: 'insights:read', privileged: true, ...base }, /privileged/],
      [{ auth: 'public', privileged: true, ...base }, /privileged/],
    ];
    for (const [config, message] of cases) {
      const app = Fastify();
      enforceRouteContract(app);
      const schema = { response: { 200: {} } };
      expect(() => app.get('/x', { config, schema }, async () => ({}))).toThrow(message);
      await app.close();
    }
  });
});

describe('examples', () => {
  const parse = (schema: unknown, value: unknown, where: string) => {
    expect(schema, `${where}: the route declares no such schema`).toBeDefined();
    const result = (schema as z.ZodType).safeParse(value);
    expect(result.success, `${where}: ${result.error?.message ?? ''}`).toBe(true);
  };

  it('cover the main resources', () => {
    expect(Object.keys(OPENAPI_EXAMPLES).sort()).toEqual(
      [
        'GET /api/v1/insights',
        'POST /api/v1/insights',
        'GET /api/v1/events',
        'GET /api/v1/events/:id',
        'POST /api/v1/events',
        'POST /api/v1/events/:id/sessions',
        'GET /api/v1/org/people',
        'GET /api/v1/dashboard',
        'GET /api/v1/reports/executive',
      ].sort(),
    );
  });

  for (const [key, example] of Object.entries(OPENAPI_EXAMPLES)) {
    it(`${key}: validates against the route's own schemas and appears in the document`, () => {
      const route = documented.get(key);
      expect(route, `${key} is not a route`).toBeDefined();
      if (!route) return;
      expect(route.config.auth, key).toBe('session_or_token');
      const schema = route.schema as Record<string, unknown>;
      if (example.params) parse(schema.params, example.params, `${key} params`);
      if (example.query) parse(schema.querystring, example.query, `${key} query`);
      if (example.body !== undefined) parse(schema.body, example.body, `${key} body`);
      const responses = schema.response as Record<string, unknown>;
      parse(responses[String(example.status)], example.response, `${key} ${example.status} response`);

      const op = operation(route);
      const answer = op?.responses?.[String(example.status)]?.content?.['application/json'];
      expect(answer?.example, key).toEqual(example.response);
      if (example.body !== undefined)
        expect(op?.requestBody?.content?.['application/json']?.example, key).toEqual(example.body);
      for (const [name, value] of Object.entries({ ...example.params, ...example.query })) {
        expect(op?.parameters?.find((p) => p.name === name)?.example, `${key} ${name}`).toBe(value);
      }
    });
  }
});
