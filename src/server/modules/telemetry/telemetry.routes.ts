import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  TelemetryBatch,
  TelemetryReceipt,
  TelemetrySummary,
  TelemetrySummaryQuery,
} from '../../../contract/api/telemetry.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY, ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { ingestTelemetry, summarizeTelemetry, type TelemetryDeps } from './telemetry.service.ts';

// The capture app's own measurements: sent from its session, never with an API token.
const session = { auth: 'session', kind: 'api' } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem };
const tags = ['telemetry'];

export function telemetryRoutes(app: FastifyInstance, deps: TelemetryDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/telemetry/capture',
    {
      config: { ...session, access: { roles: ANY_ROLE }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: "Send a batch of the capture app's telemetry (anyone signed in; each event id stored once)",
        description:
          'Answers 202 with how many events were stored now and how many were already stored (a resent ' +
          'batch). The whole batch is refused with 400, naming body.events[i].at, when an event is dated more ' +
          'than 7 days ago or more than 5 minutes ahead of the server, and naming body.events[i].attrs.<name> ' +
          'when sync_outcome.result, tap_to_saved_ms.mode or app_start.standalone is not one of its values. ' +
          'Events are recorded as the signed-in person.',
        querystring: z.strictObject({}),
        body: TelemetryBatch,
        response: { 202: TelemetryReceipt, ...errors },
      },
    },
    async (request, reply) => reply.code(202).send(await ingestTelemetry(deps, request.ctx, request.body)),
  );

  r.get(
    '/api/v1/telemetry/capture/summary',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Capture-app telemetry over the last days: per kind count, average, p50, p95 (admin)',
        description: 'Definitions of each kind and of the offline recovery rate: docs/analytics.md.',
        querystring: TelemetrySummaryQuery,
        response: { 200: TelemetrySummary, ...errors },
      },
    },
    async (request) => summarizeTelemetry(deps, request.ctx, request.query.days),
  );
}
