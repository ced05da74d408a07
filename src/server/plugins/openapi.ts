import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RATE } from './rate-limit.ts';

/** OpenAPI 3.1, generated from the same zod schemas that validate requests and responses. */
export async function registerOpenApi(app: FastifyInstance, version: string) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Builder Insights API',
        version,
        description:
          'Field-feedback capture and reporting. Session routes need the SSO session cookie and, for state ' +
          'changes, the X-CSRF-Token header from GET /api/v1/me. Public API operations also accept an API token ' +
          '(Authorization: Bearer) carrying their scope. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: '__Host-bi_session',
            description:
              'The SSO session cookie (named bi_session when the app is served over plain http locally).',
          },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A personal (bi_pat_…) or service (bi_svc_…) API token, on the operations that accept one and ' +
              'only with the scope the operation names. It acts with its owner’s current role and scope.',
          },
          scim: {
            type: 'http',
            scheme: 'bearer',
            description:
              'The identity provider’s SCIM provisioning credential (bi_scim_…), on /scim/v2 only. Errors there ' +
              'are SCIM Error messages (application/scim+json).',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
}

export function registerOpenApiRoute(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: 'GET',
    url: '/api/openapi.json',
    config: { auth: 'public', kind: 'api', rateLimit: RATE.read },
    schema: { hide: true, response: { 200: z.record(z.string(), z.unknown()) } },
    handler: async () => app.swagger() as unknown as Record<string, unknown>,
  });
}
