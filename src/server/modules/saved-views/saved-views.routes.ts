import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  SavedView,
  SavedViewCreate,
  SavedViewList,
  SavedViewListQuery,
  SavedViewUpdate,
} from '../../../contract/api/review.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { Problem } from '../../../contract/problem.ts';
import { ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import {
  createSavedView,
  deleteSavedView,
  listSavedViews,
  type SavedViewDeps,
  updateSavedView,
} from './saved-views.service.ts';

/** Listing works with a reporting token too (a script applying a shared view); changes are an app feature. */
const read = {
  auth: 'session_or_token',
  tokenScope: 'reporting:read',
  kind: 'api',
  rateLimit: RATE.read,
} as const;
const write = { auth: 'session', kind: 'api', rateLimit: RATE.write } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['saved-views'];
const base = '/api/v1/saved-views';
const byId = z.strictObject({ id: Uuid });
const noQuery = z.strictObject({});
const FILTERS_NOTE =
  'filters are InsightFilter keys with query-string values (tags as "a,b", followUp as "true"); an unknown ' +
  'key or a bad value is a 400 naming body.filters.<key>. The canonical form is stored and answered.';

export function savedViewRoutes(app: FastifyInstance, deps: SavedViewDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    base,
    {
      config: { ...write, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'Save a named insight filter, private or shared (idempotent on the client-generated id)',
        description:
          `201 when created; 200 with the stored view when you already saved this id; 409 when the id is ` +
          `someone else's, when you already have a view with this name (ignoring case), or when you already ` +
          `keep ${LIMITS.savedViewsPerPerson} views. ${FILTERS_NOTE}`,
        querystring: noQuery,
        body: SavedViewCreate,
        response: { 200: SavedView, 201: SavedView, ...errors },
      },
    },
    async (request, reply) => {
      const { view, created } = await createSavedView(deps, request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(view);
    },
  );

  r.get(
    base,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'Your saved views, then the views others shared, each by name',
        description: 'Opening a view applies its filter inside your own scope, whoever saved it.',
        querystring: SavedViewListQuery,
        response: { 200: SavedViewList, ...errors },
      },
    },
    async (request) => listSavedViews(deps, request.ctx, request.query),
  );

  r.patch(
    `${base}/:id`,
    {
      config: { ...write, access: { roles: ANY_ROLE, record: 'own' } },
      schema: {
        tags,
        summary: 'Rename, re-filter, share or unshare a saved view (its owner; an admin for a shared one)',
        description: `404 when you cannot see the view (someone else's private view); 403 when you see it but it is not yours. ${FILTERS_NOTE}`,
        params: byId,
        querystring: noQuery,
        body: SavedViewUpdate,
        response: { 200: SavedView, ...errors },
      },
    },
    async (request) => updateSavedView(deps, request.ctx, request.params.id, request.body),
  );

  r.delete(
    `${base}/:id`,
    {
      config: { ...write, access: { roles: ANY_ROLE, record: 'own' } },
      schema: {
        tags,
        summary: 'Delete a saved view (its owner; an admin for a shared one)',
        params: byId,
        querystring: noQuery,
        body: z.strictObject({}).nullish(),
        response: { 204: z.null().describe('Deleted'), ...errors },
      },
    },
    async (request, reply) => {
      await deleteSavedView(deps, request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
