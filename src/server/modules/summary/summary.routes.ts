import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ExecutiveSummary, ReportQuery } from '../../../contract/api/reporting.ts';
import { Problem } from '../../../contract/problem.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { executiveSummary, type SummaryDeps } from './summary.service.ts';

export function summaryRoutes(app: FastifyInstance, deps: SummaryDeps) {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/reports/executive/summary',
    {
      // A signed-in person only (not API tokens): each call sends report content to a third party.
      config: {
        access: { roles: ['viewer', 'manager', 'admin'] },
        auth: 'session',
        kind: 'api',
        rateLimit: RATE.write,
      },
      schema: {
        tags: ['reporting'],
        summary: 'An optional generated summary of the executive report (LLM provider; off by default)',
        description:
          'The body takes the same fields, in the same forms, as the executive report’s query string ' +
          '(period, at, from/to with period=custom, and the insight filter; tags as "a,b"). Only the report’s ' +
          'numbers, theme labels and quoted citations are sent to the provider, with a fixed prompt asking for ' +
          'at most 200 words using only those numbers. Viewers, managers and admins. 503 when the server has ' +
          'no provider (`summaryAvailable` is false in the report); 502 when the provider fails or times out. ' +
          'Audited, failures too.',
        querystring: z.strictObject({}),
        body: ReportQuery,
        response: { 200: ExecutiveSummary, 400: Problem, 403: Problem, 502: Problem, 503: Problem },
      },
    },
    async (request) => executiveSummary(deps, request.ctx, request.body, request.log),
  );
}
