import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EventList, EventListQuery } from '../../../contract/api/events.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { listEvents } from './events.service.ts';

export function eventRoutes(app: FastifyInstance, deps: { db: Db }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/events',
    {
      config: { auth: 'session_or_token', tokenScope: 'events:read', kind: 'api', rateLimit: RATE.read },
      schema: {
        tags: ['events'],
        summary: 'Events with their sessions; active=true gives the capture picker',
        querystring: EventListQuery,
        response: { 200: EventList, 400: Problem, 401: Problem },
      },
    },
    async (request) => listEvents(deps, request.ctx, { active: request.query.active }),
  );
}
