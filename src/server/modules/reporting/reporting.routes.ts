import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  Dashboard,
  ExecutiveReport,
  Leaderboard,
  LeaderboardQuery,
  ReportQuery,
} from '../../../contract/api/reporting.ts';
import { Problem } from '../../../contract/problem.ts';
import { ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { dashboard, type ReportingDeps } from './dashboard.service.ts';
import { executiveReport } from './executive.service.ts';
import { leaderboard } from './leaderboard.service.ts';

const read = {
  auth: 'session_or_token',
  tokenScope: 'reporting:read',
  kind: 'api',
  rateLimit: RATE.read,
} as const;
const errors = { 400: Problem, 401: Problem, 403: Problem };
const periodHelp =
  'The period (default last30) replaces the filter’s dates: from/to only with period=custom (both required, ' +
  'at most 366 days); week, month and quarter take the one containing `at` (default today, UTC). Counts cover ' +
  'your read scope, merged duplicates excluded; docs/reporting.md defines every number.';

export function reportingRoutes(app: FastifyInstance, deps: ReportingDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/dashboard',
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags: ['reporting'],
        summary:
          'Metric cards against the previous period, 90-day trend by sentiment, distributions, top events and ' +
          'contributors, critical items and capture coverage, within your scope',
        description: periodHelp,
        querystring: ReportQuery,
        response: { 200: Dashboard, ...errors },
      },
    },
    async (request) => dashboard(deps, request.ctx, request.query),
  );

  r.get(
    '/api/v1/leaderboard',
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags: ['reporting'],
        summary: 'Contributors ranked by the documented impact score (formula and weights in the answer)',
        description: `${periodHelp} Equal scores share a rank; ties are listed by insights, then name.`,
        querystring: LeaderboardQuery,
        response: { 200: Leaderboard, ...errors },
      },
    },
    async (request) => leaderboard(deps, request.ctx, request.query),
  );

  r.get(
    '/api/v1/reports/executive',
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags: ['reporting'],
        summary:
          'The executive report: the dashboard’s numbers, top emerging themes with quotes, critical items and ' +
          'a deterministic narrative built from them',
        description: periodHelp,
        querystring: ReportQuery,
        response: { 200: ExecutiveReport, ...errors },
      },
    },
    async (request) => executiveReport(deps, request.ctx, request.query),
  );
}
