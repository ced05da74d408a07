import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { bearerToken } from '../../plugins/actor.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { authenticate, recordAuthFailure, type ScimAuth } from './scim.credentials.ts';
import {
  findResourceType,
  findSchema,
  listOf,
  resourceTypes,
  schemaDefinitions,
  serviceProviderConfig,
} from './scim.discovery.ts';
import { registerScimErrors, SCIM_CONTENT_TYPE, ScimHttpError, sendScimError } from './scim.errors.ts';
import { countScimOperation } from './scim.metrics.ts';
import { scimErrors, scimRoute, tags } from './scim.route-config.ts';
import { scimAdminRoutes } from './scim-admin.routes.ts';
import { scimGroupRoutes } from './scim-groups.routes.ts';
import { scimUserRoutes } from './scim-users.routes.ts';
import type { ScimDeps } from './scim-users.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The SCIM credential check of this request (routes under /scim/v2 only). */
    scimAuth: ScimAuth | null;
  }
}

export const SCIM_PREFIX = '/scim/v2';

const Resource = z.looseObject({ schemas: z.array(z.string()), id: z.string().optional() });
const DiscoveryList = z.object({
  schemas: z.array(z.string()),
  totalResults: z.number().int(),
  itemsPerPage: z.number().int(),
  startIndex: z.number().int(),
  Resources: z.array(Resource),
});
const DiscoveryQuery = z.strictObject({
  filter: z.string().max(1_000).optional(),
  attributes: z.string().max(1_000).optional(),
  excludedAttributes: z.string().max(1_000).optional(),
  startIndex: z.string().max(20).optional(),
  count: z.string().max(20).optional(),
});
const ById = z.strictObject({ id: z.string().max(200) });

function refuseFilter(query: { filter?: string | undefined }) {
  // RFC 7644 §4: filtering the discovery endpoints is not supported.
  if (query.filter) throw new ScimHttpError(403, 'Filtering is not supported on this endpoint.');
}

async function refuse(db: Db, request: FastifyRequest, reply: FastifyReply, auth: ScimAuth | null) {
  const failure: Extract<ScimAuth, { ok: false }> =
    auth && !auth.ok ? auth : { ok: false, reason: 'missing', prefix: null, credentialId: null };
  await recordAuthFailure(db, request.ctx, failure);
  reply.header('www-authenticate', 'Bearer realm="scim"');
  return failure.reason === 'missing'
    ? 'A SCIM credential is required: send Authorization: Bearer <credential>.'
    : 'The SCIM credential is unknown or revoked.';
}

/**
 * The SCIM 2.0 service provider at /scim/v2, in its own encapsulated plugin: its bearer credential (never a
 * session or user API token), JSON and application/scim+json bodies, SCIM errors for everything (including
 * unknown paths), and application/scim+json answers. Plus the admin API for the credentials.
 */
export function scimRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date; publicUrl: string }) {
  const scim: ScimDeps = {
    db: deps.db,
    now: deps.now,
    baseUrl: `${deps.publicUrl.replace(/\/$/, '')}${SCIM_PREFIX}`,
  };
  scimAdminRoutes(app, deps);

  app.register(
    async (scoped) => {
      scoped.decorateRequest('scimAuth', null);
      scoped.decorateRequest('scimCredentialId', null);
      const json = scoped.getDefaultJsonParser('error', 'error');
      scoped.removeContentTypeParser('application/json');
      scoped.addContentTypeParser(
        ['application/json', 'application/scim+json'],
        { parseAs: 'string' },
        (request, body, done) => {
          // A DELETE with a content type but no body (some clients send one) is just a DELETE.
          if (body === '' && request.method === 'DELETE') return done(null, undefined);
          json(request, body as string, done);
        },
      );
      registerScimErrors(scoped);
      scoped.addHook('onResponse', countScimOperation);

      scoped.addHook('onRequest', async (request) => {
        // The identity provider acts here, never a signed-in person (no cookie session is consulted).
        request.ctx.actor = null;
        const auth = await authenticate(deps.db, bearerToken(request), deps.now());
        request.scimAuth = auth;
        if (auth.ok) {
          request.scimCredentialId = auth.credential.id;
          request.log = request.log.child({ scimCredential: auth.credential.prefix });
        }
      });
      // After the rate limit (route onRequest) counted the attempt, before any body is parsed.
      scoped.addHook('preParsing', async (request, reply, payload) => {
        if (request.routeOptions.config.auth !== 'scim' || request.scimAuth?.ok) return payload;
        throw new ScimHttpError(401, await refuse(deps.db, request, reply, request.scimAuth));
      });
      scoped.addHook('onSend', async (_request, reply, payload) => {
        const type = reply.getHeader('content-type');
        if (typeof type === 'string' && type.startsWith('application/json'))
          reply.header('content-type', SCIM_CONTENT_TYPE);
        return payload;
      });
      scoped.setNotFoundHandler({ preHandler: scoped.rateLimit(RATE.scim) }, async (request, reply) => {
        if (!request.scimAuth?.ok)
          return sendScimError(reply, 401, await refuse(deps.db, request, reply, request.scimAuth));
        return sendScimError(reply, 404, `Nothing at ${request.method} ${request.url.split('?')[0]}.`);
      });

      const r = scoped.withTypeProvider<ZodTypeProvider>();
      r.get(
        '/ServiceProviderConfig',
        {
          config: scimRoute,
          schema: {
            tags,
            summary: 'What this SCIM service provider supports',
            querystring: DiscoveryQuery,
            response: { 200: Resource, ...scimErrors },
          },
        },
        async () => serviceProviderConfig(scim.baseUrl),
      );
      r.get(
        '/ResourceTypes',
        {
          config: scimRoute,
          schema: {
            tags,
            summary: 'The resource types (User, Group)',
            querystring: DiscoveryQuery,
            response: { 200: DiscoveryList, ...scimErrors },
          },
        },
        async (request) => {
          refuseFilter(request.query);
          return listOf(resourceTypes(scim.baseUrl));
        },
      );
      r.get(
        '/ResourceTypes/:id',
        {
          config: scimRoute,
          schema: {
            tags,
            summary: 'One resource type',
            params: ById,
            querystring: DiscoveryQuery,
            response: { 200: Resource, ...scimErrors },
          },
        },
        async (request) => findResourceType(scim.baseUrl, request.params.id),
      );
      r.get(
        '/Schemas',
        {
          config: scimRoute,
          schema: {
            tags,
            summary: 'The schemas and the attributes we interpret',
            querystring: DiscoveryQuery,
            response: { 200: DiscoveryList, ...scimErrors },
          },
        },
        async (request) => {
          refuseFilter(request.query);
          return listOf(schemaDefinitions(scim.baseUrl));
        },
      );
      r.get(
        '/Schemas/:id',
        {
          config: scimRoute,
          schema: {
            tags,
            summary: 'One schema, by its URN',
            params: ById,
            querystring: DiscoveryQuery,
            response: { 200: Resource, ...scimErrors },
          },
        },
        async (request) => findSchema(scim.baseUrl, request.params.id),
      );

      scimUserRoutes(scoped, scim);
      scimGroupRoutes(scoped, scim);
    },
    { prefix: SCIM_PREFIX },
  );
}
