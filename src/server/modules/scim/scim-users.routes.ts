import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scimErrors, scimRoute, tags } from './scim.route-config.ts';
import {
  IdParams,
  ListQuery,
  listResponse,
  PatchRequest,
  ResourceQuery,
  ScimUser,
  ScimUserInput,
} from './scim.schemas.ts';
import {
  createUser,
  deleteUser,
  getUser,
  listUsers,
  patchUser,
  replaceUser,
  type ScimDeps,
} from './scim-users.service.ts';

/** DELETE carries no body (a client may send `{}`). */
const noBody = z.strictObject({}).nullish();

/** /Users: people as the identity provider provisions them (see docs/operations/scim.md). */
export function scimUserRoutes(scoped: FastifyInstance, deps: ScimDeps) {
  const r = scoped.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/Users',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'List or filter users (filter, startIndex, count ≤ 200)',
        description:
          'Filterable: userName (case-insensitive), externalId, emails.value, active, displayName, name.*, title, enterprise employeeNumber/department/manager.value, meta.created/lastModified; and/or/not.',
        querystring: ListQuery,
        response: { 200: listResponse(ScimUser), ...scimErrors },
      },
    },
    async (request) => listUsers(deps, request.query),
  );

  r.get(
    '/Users/:id',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'One user',
        params: IdParams,
        querystring: ResourceQuery,
        response: { 200: ScimUser, ...scimErrors },
      },
    },
    async (request) => getUser(deps, request.params.id, request.query),
  );

  r.post(
    '/Users',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'Provision a user (201 with Location); a duplicate userName is 409 uniqueness',
        querystring: z.strictObject({}),
        body: ScimUserInput,
        response: { 201: ScimUser, ...scimErrors },
      },
    },
    async (request, reply) => {
      const user = await createUser(deps, request.ctx, request.body);
      return reply
        .code(201)
        .header('location', user.meta?.location ?? '')
        .send(user);
    },
  );

  r.put(
    '/Users/:id',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'Replace a user (attributes left out are cleared)',
        params: IdParams,
        querystring: z.strictObject({}),
        body: ScimUserInput,
        response: { 200: ScimUser, ...scimErrors },
      },
    },
    async (request) => replaceUser(deps, request.ctx, request.params.id, request.body),
  );

  r.patch(
    '/Users/:id',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'Modify a user (PatchOp); active false deactivates at once',
        params: IdParams,
        querystring: z.strictObject({}),
        body: PatchRequest,
        response: { 200: ScimUser, ...scimErrors },
      },
    },
    async (request) => patchUser(deps, request.ctx, request.params.id, request.body.Operations),
  );

  r.delete(
    '/Users/:id',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'Deprovision a user: deactivated (never erased), then 404 here',
        params: IdParams,
        querystring: z.strictObject({}),
        body: noBody,
        response: { 204: z.null(), ...scimErrors },
      },
    },
    async (request, reply) => {
      await deleteUser(deps, request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
