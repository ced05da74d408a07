import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DashboardQuery, DashboardSummary } from '../../../contract/api/insights.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { dashboardSummary } from './dashboard.service.ts';

export function reportingRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/dashboard/summary',
    {
      config: { auth: 'session_or_token', tokenScope: 'reporting:read', kind: 'api', rateLimit: RATE.read },
      schema: {
        tags: ['reporting'],
        summary:
          'Counts by type, sentiment, priority and product area, and the daily trend, within your scope',
        querystring: DashboardQuery,
        response: { 200: DashboardSummary, 400: Problem, 401: Problem },
      },
    },
    async (request) => dashboardSummary(deps, request.ctx, request.query.days),
  );
}
