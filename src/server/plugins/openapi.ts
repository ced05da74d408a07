import type {
  FastifyDynamicSwaggerOptions,
  SwaggerTransform,
  SwaggerTransformObject,
} from '@fastify/swagger';
import Fastify, {
  type FastifyContextConfig,
  type FastifyInstance,
  type FastifySchema,
  type RouteOptions,
} from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OPENAPI_EXAMPLES } from './openapi.examples.ts';
import { RATE } from './rate-limit.ts';
import { registeredRoutes } from './route-contract.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The OpenAPI document, generated on first use and then kept (GET /api/openapi.json). */
    openApiDocument(): Promise<Record<string, unknown>>;
  }
}

/**
 * Token routes state the scope they need: in the bearer requirement (OpenAPI 3.1 lets a non-OAuth scheme
 * list the roles it requires), in an `x-token-scope` extension, and in words in the description.
 */
const transform: SwaggerTransform = (input) => {
  const out = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const config = input.route.config as FastifyContextConfig | undefined;
  const scope = config?.tokenScope;
  if (config?.auth !== 'session_or_token' || !scope || out.schema.hide) return out;
  const schema = out.schema as FastifySchema & Record<string, unknown>;
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [scope] }];
  const note = `API tokens: needs the \`${scope}\` scope; the token sees only what its owner may see now.`;
  return {
    url: out.url,
    schema: {
      ...schema,
      description: schema.description ? `${schema.description}\n\n${note}` : note,
      security,
      'x-token-scope': scope,
    },
  };
};

type Operation = {
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses?: Record<string, { content?: Record<string, { example?: unknown }> }>;
  parameters?: { in: string; name: string; example?: unknown }[];
};

/** `/api/v1/events/:id` → `/api/v1/events/{id}`, the form OpenAPI paths take. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Merges OPENAPI_EXAMPLES into the generated document (an example for a missing operation is skipped). */
const withExamples: SwaggerTransformObject = (document) => {
  const doc = ('openapiObject' in document ? document.openapiObject : document.swaggerObject) as {
    paths?: Record<string, Record<string, Operation>>;
  };
  for (const [key, example] of Object.entries(OPENAPI_EXAMPLES)) {
    const [method = '', url = ''] = key.split(' ');
    const operation = doc.paths?.[openApiPath(url)]?.[method.toLowerCase()];
    if (!operation) continue;
    const json = operation.requestBody?.content?.['application/json'];
    if (json && example.body !== undefined) json.example = example.body;
    const answer = operation.responses?.[String(example.status)]?.content?.['application/json'];
    if (answer) answer.example = example.response;
    for (const parameter of operation.parameters ?? []) {
      const value =
        parameter.in === 'path' ? example.params?.[parameter.name] : example.query?.[parameter.name];
      if (value !== undefined) parameter.example = value;
    }
  }
  return doc as ReturnType<SwaggerTransformObject>;
};

/** The document's fixed parts and the transforms: what @fastify/swagger is given. */
function swaggerOptions(version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Builder Insights API',
        version,
        description:
          'Field-feedback capture and reporting. Session routes need the SSO session cookie and, for state ' +
          'changes, the X-CSRF-Token header from GET /api/v1/me. Public API operations also accept an API token ' +
          '(Authorization: Bearer) carrying their scope (each operation names it); a token acts with its ' +
          'owner’s current role and scope and has its own rate budget. Errors are application/problem+json. ' +
          'Guide: docs/api.md.',
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
    transform,
    transformObject: withExamples,
  };
}

const noHandler = async () => null;

/**
 * The document for the routes recorded so far, by @fastify/swagger on a throwaway Fastify instance that holds
 * the same route objects (no handlers, no validation): the generator and its dependencies (yaml among them)
 * load on the first request for the document, not at start-up (cold start, docs/performance.md).
 */
async function generateDocument(
  routes: readonly RouteOptions[],
  version: string,
): Promise<Record<string, unknown>> {
  const { default: swagger } = await import('@fastify/swagger');
  const doc = Fastify({ exposeHeadRoutes: false, routerOptions: { maxParamLength: 200 } });
  // Schemas are zod objects compiled by the app; here they are only read by the document's transform.
  doc.setValidatorCompiler(() => () => true);
  doc.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await doc.register(swagger, swaggerOptions(version));
  for (const route of routes) {
    doc.route({
      method: route.method,
      url: route.url,
      handler: noHandler,
      ...(route.schema ? { schema: route.schema } : {}),
      ...(route.config ? { config: route.config } : {}),
    });
  }
  await doc.ready();
  try {
    return doc.swagger() as unknown as Record<string, unknown>;
  } finally {
    await doc.close();
  }
}

/** OpenAPI 3.1, generated from the same zod schemas that validate requests and responses. */
export async function registerOpenApi(app: FastifyInstance, version: string) {
  let document: Promise<Record<string, unknown>> | null = null;
  // The route table (plugins/route-contract.ts) as it stands on the first request for the document: every
  // route by then registered, HEAD routes left out as @fastify/swagger would.
  app.decorate('openApiDocument', () => {
    document ??= generateDocument(registeredRoutes(app), version).catch((err: unknown) => {
      document = null; // the next request tries again
      throw err;
    });
    return document;
  });
}

export function registerOpenApiRoute(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: 'GET',
    url: '/api/openapi.json',
    config: { auth: 'public', kind: 'api', rateLimit: RATE.read },
    schema: { hide: true, response: { 200: z.record(z.string(), z.unknown()) } },
    handler: () => app.openApiDocument(),
  });
}
