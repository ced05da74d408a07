import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import { Insight, InsightCreate, InsightListQuery, InsightPage } from '../../../contract/api/insights.ts';
import { Problem } from '../../../contract/problem.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { createInsight, getInsight, type InsightDeps, listInsights } from './insights.service.ts';

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
