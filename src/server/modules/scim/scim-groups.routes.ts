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
  ScimGroup,
  ScimGroupInput,
} from './scim.schemas.ts';
import {
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  patchGroup,
  replaceGroup,
} from './scim-groups.service.ts';
import type { ScimDeps } from './scim-users.service.ts';

/** /Groups: IdP groups and their members; membership feeds each member's groups, team and Builder Relations. */
export function scimGroupRoutes(scoped: FastifyInstance, deps: ScimDeps) {
  const r = scoped.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/Groups',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'List or filter groups (excludedAttributes=members skips members entirely)',
        description:
          'Filterable: displayName (case-insensitive), externalId, id, members.value (eq), meta.*.',
        querystring: ListQuery,
        response: { 200: listResponse(ScimGroup), ...scimErrors },
      },
    },
    async (request) => listGroups(deps, request.query),
  );

  r.get(
    '/Groups/:id',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'One group',
        params: IdParams,
        querystring: ResourceQuery,
        response: { 200: ScimGroup, ...scimErrors },
      },
    },
    async (request) => getGroup(deps, request.params.id, request.query),
  );

  r.post(
    '/Groups',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'Create a group (409 uniqueness for a taken displayName; unknown members are 400)',
        querystring: z.strictObject({}),
        body: ScimGroupInput,
        response: { 201: ScimGroup, ...scimErrors },
      },
    },
    async (request, reply) => {
      const group = await createGroup(deps, request.ctx, request.body);
      return reply
        .code(201)
        .header('location', group.meta?.location ?? '')
        .send(group);
    },
  );

  r.put(
    '/Groups/:id',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'Replace a group: displayName, externalId and the full member list',
        params: IdParams,
        querystring: z.strictObject({}),
        body: ScimGroupInput,
        response: { 200: ScimGroup, ...scimErrors },
      },
    },
    async (request) => replaceGroup(deps, request.ctx, request.params.id, request.body),
  );

  r.patch(
    '/Groups/:id',
    {
      config: scimRoute,
      schema: {
        tags,
        summary:
          'Add or remove members, rename (PatchOp); 204, or 200 with the group when attributes are asked for',
        params: IdParams,
        querystring: ResourceQuery,
        body: PatchRequest,
        response: { 200: ScimGroup, 204: z.null(), ...scimErrors },
      },
    },
    async (request, reply) => {
      await patchGroup(deps, request.ctx, request.params.id, request.body.Operations);
      const { attributes, excludedAttributes } = request.query;
      if (!attributes && !excludedAttributes) return reply.code(204).send(null);
      return reply.code(200).send(await getGroup(deps, request.params.id, request.query));
    },
  );

  r.delete(
    '/Groups/:id',
    {
      config: scimRoute,
      schema: {
        tags,
        summary: 'Delete a group (its members lose it)',
        params: IdParams,
        querystring: z.strictObject({}),
        body: z.strictObject({}).nullish(),
        response: { 204: z.null(), ...scimErrors },
      },
    },
    async (request, reply) => {
      await deleteGroup(deps, request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
