import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  ScimCredentialCreate,
  ScimCredentialIssued,
  ScimCredentialList,
  ScimCredentialSummary,
} from '../../../contract/api/scim.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ADMIN_ONLY } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { requireActor } from '../../plugins/types.ts';
import { createCredential, listCredentials, revokeCredential } from './scim.credentials.ts';
import { authorizeScimCredentials } from './scim.policy.ts';

const session = { auth: 'session', kind: 'api' } as const;
const privileged = { ...session, privileged: true } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['scim'];

/** The control plane's view of SCIM provisioning credentials (admins; creating and revoking need step-up). */
export function scimAdminRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/admin/scim/credentials',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'SCIM provisioning credentials (admins): prefix, status, last use — never the token',
        querystring: z.strictObject({}),
        response: { 200: ScimCredentialList, ...errors },
      },
    },
    async (request) => {
      authorizeScimCredentials(requireActor(request.ctx), 'read');
      return { items: await listCredentials(deps.db) };
    },
  );

  r.post(
    '/api/v1/admin/scim/credentials',
    {
      config: { ...privileged, access: { roles: ADMIN_ONLY, sso: true }, rateLimit: RATE.write },
      schema: {
        tags,
        summary:
          'Create a SCIM credential for the identity provider (the token is shown once, in this answer)',
        querystring: z.strictObject({}),
        body: ScimCredentialCreate,
        response: { 201: ScimCredentialIssued, ...errors },
      },
    },
    async (request, reply) => {
      authorizeScimCredentials(requireActor(request.ctx), 'create');
      return reply
        .code(201)
        .send(await createCredential(deps.db, request.ctx, request.body.name, deps.now()));
    },
  );

  r.post(
    '/api/v1/admin/scim/credentials/:id/revoke',
    {
      config: { ...privileged, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Revoke a SCIM credential: the identity provider is refused (401) from its next request',
        params: z.strictObject({ id: Uuid }),
        querystring: z.strictObject({}),
        body: z.strictObject({}),
        response: { 200: ScimCredentialSummary, ...errors },
      },
    },
    async (request) => {
      authorizeScimCredentials(requireActor(request.ctx), 'revoke');
      return revokeCredential(deps.db, request.ctx, { id: request.params.id }, deps.now());
    },
  );
}
