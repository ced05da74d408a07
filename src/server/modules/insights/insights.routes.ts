import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  Insight,
  InsightBatch,
  InsightBatchResult,
  InsightCreate,
  InsightEditConflict,
  InsightListQuery,
  InsightPage,
  InsightUpdate,
} from '../../../contract/api/insights.ts';
import { Problem } from '../../../contract/problem.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import {
  createInsight,
  getInsight,
  type InsightDeps,
  listInsights,
  syncInsights,
} from './insights.service.ts';
import { updateInsight } from './insights.update.ts';

const session = { auth: 'session_or_token', kind: 'api' } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function insightRoutes(app: FastifyInstance, deps: InsightDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/insights',
    {
      config: { ...session, tokenScope: 'insights:write', rateLimit: RATE.write },
      schema: {
        tags: ['insights'],
        summary: 'Capture an insight (idempotent on the client-generated id)',
        description: '201 when created; 200 with the stored insight when this id was already saved by you.',
        body: InsightCreate,
        response: { 200: Insight, 201: Insight, ...errors },
      },
    },
    async (request, reply) => {
      const { insight, created } = await createInsight(deps, request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(insight);
    },
  );

  r.post(
    '/api/v1/insights/batch',
    {
      config: { ...session, tokenScope: 'insights:write', rateLimit: RATE.write },
      schema: {
        tags: ['insights'],
        summary: 'Sync offline captures: up to 100 insights, one result per item, exactly once',
        description:
          'Each item is validated and saved on its own (its own transaction), so one bad item never loses the ' +
          'others. Per item: created; duplicate (you already saved this id: resending a batch after a dropped ' +
          'connection is safe); conflict (the id belongs to someone else); rejected (problem.errors names ' +
          'fields as items[3].capturedAt). 403 for the whole request when your role cannot capture.',
        querystring: z.strictObject({}),
        body: InsightBatch,
        response: { 200: InsightBatchResult, ...errors },
      },
    },
    async (request) => syncInsights(deps, request.ctx, request.body.items),
  );

  r.patch(
    '/api/v1/insights/:id',
    {
      config: { ...session, tokenScope: 'insights:write', rateLimit: RATE.write },
      schema: {
        tags: ['insights'],
        summary: 'Edit an insight (author, or a manager in scope), from the version the edit started at',
        description:
          '409 when the insight changed since `version`: the problem carries `current` (the stored insight) so ' +
          'the client can keep its edit, take theirs or merge, and resend with current.version.',
        params: z.strictObject({ id: Uuid }),
        querystring: z.strictObject({}),
        body: InsightUpdate,
        response: { 200: Insight, ...errors, 409: InsightEditConflict },
      },
    },
    async (request) => updateInsight(deps, request.ctx, request.params.id, request.body),
  );

  r.get(
    '/api/v1/insights',
    {
      config: { ...session, tokenScope: 'insights:read', rateLimit: RATE.read },
      schema: {
        tags: ['insights'],
        summary: 'Insights in your scope, newest first, with filters and cursor pagination',
        querystring: InsightListQuery,
        response: { 200: InsightPage, ...errors },
      },
    },
    async (request) => listInsights(deps, request.ctx, request.query),
  );

  r.get(
    '/api/v1/insights/:id',
    {
      config: { ...session, tokenScope: 'insights:read', rateLimit: RATE.read },
      schema: {
        tags: ['insights'],
        summary: 'One insight; 404 when it does not exist or is outside your scope',
        params: z.strictObject({ id: Uuid }),
        querystring: z.strictObject({}),
        response: { 200: Insight, ...errors },
      },
    },
    async (request) => getInsight(deps, request.ctx, request.params.id),
  );
}
