import type { FastifyContextConfig, FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { Problem } from '../../contract/problem.ts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One registered route as declared (zod schemas, not JSON Schema): what the authorization matrix, the
 * bad-input and header tests and the OpenAPI document's tests enumerate. */
export interface RouteEntry {
  method: string;
  url: string;
  config: FastifyContextConfig;
  schema: FastifySchema;
}

const tables = new WeakMap<FastifyInstance, RouteOptions[]>();

/**
 * The route options of every route registered on the app, as Fastify holds them (so as every onRoute hook,
 * this contract's and the rate limit's, has settled their config and schema), without the HEAD routes Fastify
 * adds for each GET: the one record of the route table, which the OpenAPI document is generated from too.
 */
export function registeredRoutes(app: FastifyInstance): readonly RouteOptions[] {
  return (tables.get(app) ?? []).filter((route) => route.method !== 'HEAD');
}

/** Every registered route, one entry per method. */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return registeredRoutes(app).flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
      method,
      url: route.url,
      config: route.config ?? {},
      schema: route.schema ?? {},
    })),
  );
}

/**
 * Refuses, at start-up, any route that does not declare its auth mode, rate limit and schemas. A route that
 * forgot its auth mode must never silently become public.
 */
export function enforceRouteContract(app: FastifyInstance) {
  const table: RouteOptions[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    table.push(route);
    const where = `${String(route.method)} ${route.url}`;
    const config = route.config ?? {};
    if (!config.auth) throw new Error(`route ${where} must declare config.auth`);
    if (!('rateLimit' in config) || !config.rateLimit)
      throw new Error(`route ${where} must declare config.rateLimit`);
    if (!config.kind) throw new Error(`route ${where} must declare config.kind`);
    // A token route names the one scope it needs; a scope anywhere else would be a misunderstanding.
    if (config.auth === 'session_or_token' && !config.tokenScope)
      throw new Error(`route ${where} accepts API tokens and must declare config.tokenScope`);
    if (config.auth !== 'session_or_token' && config.tokenScope)
      throw new Error(`route ${where} declares a tokenScope but does not accept API tokens`);
    // Step-up is a property of a session: a privileged action is never reachable without one.
    if (config.privileged && config.auth !== 'session')
      throw new Error(`privileged route ${where} must be auth: 'session'`);
    // Who may use a signed-in route is declared with it (plugins/access.ts enforces it; the authorization
    // matrix test checks every role against it). A path parameter names a record, so it says whose.
    if (config.auth === 'session' || config.auth === 'session_or_token') {
      if (!config.access?.roles?.length) throw new Error(`route ${where} must declare config.access.roles`);
      if (route.url.includes(':') && !config.access.record)
        throw new Error(`route ${where} names a record and must declare config.access.record`);
    } else if (config.access) {
      throw new Error(`route ${where} is not signed-in and cannot declare config.access`);
    }
    if (config.kind !== 'api') return;
    const schema = route.schema ?? {};
    // SCIM routes live under /scim/v2 and answer their own error schema (SCIM Error, not problem+json).
    if (config.auth === 'scim') {
      if (!route.url.startsWith('/scim/v2/')) throw new Error(`SCIM route ${where} must live under /scim/v2`);
      const declared = (schema.response ?? {}) as Record<string, unknown>;
      if (!['400', '401', '403', '404', '429', '500'].every((s) => s in declared))
        throw new Error(`SCIM route ${where} must declare its SCIM error responses`);
      route.schema = { ...schema, security: [{ scim: [] }] };
    }
    // The OpenAPI document states, per operation, how to authenticate (either scheme for token routes).
    if (config.auth === 'session') route.schema = { ...schema, security: [{ session: [] }] };
    if (config.auth === 'session_or_token')
      route.schema = { ...schema, security: [{ session: [] }, { bearer: [] }] };
    if (!schema.response) throw new Error(`API route ${where} must declare response schemas`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((m) => UNSAFE.has(m)) && !schema.body) {
      throw new Error(`API route ${where} changes state and must declare a body schema`);
    }
    // Answers every route can give whatever its handler does: the rate limit (429), and for authenticated
    // routes no credential (401) or no permission, scope or fresh step-up (403). Declared once, here.
    const responses = { ...(schema.response as Record<string, unknown>) };
    responses['429'] ??= Problem;
    if (config.auth !== 'public') {
      responses['401'] ??= Problem;
      responses['403'] ??= Problem;
    }
    route.schema = { ...route.schema, response: responses };
  });
}
