import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ReportQuery, Themes } from '../../../contract/api/reporting.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { emergingThemes } from './themes.service.ts';

export function themeRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/themes',
    {
      config: {
        access: { roles: ANY_ROLE },
        auth: 'session_or_token',
        tokenScope: 'reporting:read',
        kind: 'api',
        rateLimit: RATE.read,
      },
      schema: {
        tags: ['reporting'],
        summary: 'Emerging themes of a period against the previous one, with citations, within your scope',
        description:
          'Deterministic and explainable (`method` says how): word stems whose share of insights at least ' +
          'doubled, mentioned by several people, grouped and labelled with the phrase people wrote. Each ' +
          "theme's `query` is the `q` that lists exactly its `current` insights in GET /api/v1/insights with " +
          'the same filter and the period as from/to. Merged duplicates count once, as their primary.',
        querystring: ReportQuery,
        response: { 200: Themes, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => emergingThemes(deps, request.ctx, request.query),
  );
}
