import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  DuplicateCandidates,
  DuplicateDismiss,
  DuplicatePairs,
  DuplicatePairsQuery,
  MergedDuplicates,
  MergeRequest,
  MergeResult,
  UnmergeResult,
} from '../../../contract/api/review.ts';
import { Problem } from '../../../contract/problem.ts';
import { ANY_ROLE, MANAGER_UP } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import {
  type DuplicateDeps,
  dismissPair,
  duplicateCandidates,
  duplicatePairs,
} from './duplicates.service.ts';
import { mergeInsights, mergesInto, unmergeInsight } from './merges.service.ts';

const api = { auth: 'session_or_token', kind: 'api' } as const;
const read = { ...api, tokenScope: 'insights:read', rateLimit: RATE.read } as const;
const write = { ...api, tokenScope: 'insights:write', rateLimit: RATE.write } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const byId = z.strictObject({ id: Uuid });
const noQuery = z.strictObject({});
/** Unmerging carries everything in the path; a client may send no body or an empty object. */
const noBody = z.strictObject({}).nullish();

export function duplicateRoutes(app: FastifyInstance, deps: DuplicateDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/insights/:id/duplicates',
    {
      config: { ...read, access: { roles: ANY_ROLE, record: 'insight' } },
      schema: {
        tags: ['duplicates'],
        summary: 'Insights that look like duplicates of this one (top 10, most similar first), with reasons',
        description:
          'Candidates are insights in your scope, not merged, whose text is at least 40 % alike (pg_trgm ' +
          'trigram similarity); pairs a reviewer dismissed are left out. 404 when the insight is not in scope.',
        params: byId,
        querystring: noQuery,
        response: { 200: DuplicateCandidates, ...errors },
      },
    },
    async (request) => duplicateCandidates(deps, request.ctx, request.params.id),
  );

  r.get(
    '/api/v1/duplicates',
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags: ['duplicates'],
        summary: 'Proposed duplicate pairs in your scope, most similar first, cursor-paginated',
        description:
          'Pairs whose newer insight was captured from `from` to `to` (UTC days, inclusive; default the last ' +
          '30 days, at most 92). `a` is the older insight (the proposed primary). Both are in your scope and ' +
          'not merged; dismissed pairs are never proposed again. minSimilarity defaults to 0.4.',
        querystring: DuplicatePairsQuery,
        response: { 200: DuplicatePairs, ...errors },
      },
    },
    async (request) => duplicatePairs(deps, request.ctx, request.query),
  );

  r.post(
    '/api/v1/duplicates/dismiss',
    {
      config: { ...write, access: { roles: MANAGER_UP } },
      schema: {
        tags: ['duplicates'],
        summary: 'Mark a proposed pair as not duplicates (managers and admins; idempotent)',
        description:
          'The pair is never proposed again, to anyone, in either order. 404 (naming a or b) when an insight ' +
          'is not in your scope; 400 when a and b are the same insight.',
        querystring: noQuery,
        body: DuplicateDismiss,
        response: { 204: z.null().describe('Dismissed (or already dismissed)'), ...errors },
      },
    },
    async (request, reply) => {
      await dismissPair(deps, request.ctx, request.body);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/insights/:id/merge',
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'insight' } },
      schema: {
        tags: ['duplicates'],
        summary: 'Merge duplicates into this insight (managers and admins; reversible)',
        description:
          'One transaction: each duplicate points at this primary and leaves every list, count and report ' +
          '(it counts once, as the primary); its reactions and notes stay with it, so unmerging restores it. ' +
          '404 naming duplicateIds[i] outside your scope. 409 for a self-merge, a merged primary, an already ' +
          'merged duplicate, or a duplicate that has duplicates merged into it.',
        params: byId,
        querystring: noQuery,
        body: MergeRequest,
        response: { 200: MergeResult, ...errors, 409: Problem },
      },
    },
    async (request) => mergeInsights(deps, request.ctx, request.params.id, request.body),
  );

  r.post(
    '/api/v1/insights/:id/unmerge',
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'insight' } },
      schema: {
        tags: ['duplicates'],
        summary: 'Restore a merged duplicate as an insight of its own (managers and admins)',
        description:
          '`id` is the duplicate. It returns to lists and counts with the reactions and notes it kept. 404 ' +
          'unless it and its primary are in your scope; 409 when it is not merged.',
        params: byId,
        querystring: noQuery,
        body: noBody,
        response: { 200: UnmergeResult, ...errors, 409: Problem },
      },
    },
    async (request) => unmergeInsight(deps, request.ctx, request.params.id),
  );

  r.get(
    '/api/v1/insights/:id/merges',
    {
      config: { ...read, access: { roles: ANY_ROLE, record: 'insight' } },
      schema: {
        tags: ['duplicates'],
        summary: 'The duplicates merged into this insight (live merges, oldest first)',
        params: byId,
        querystring: noQuery,
        response: { 200: MergedDuplicates, ...errors },
      },
    },
    async (request) => mergesInto(deps, request.ctx, request.params.id),
  );
}
