import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  EventCreate,
  EventDetail,
  EventIdParams,
  EventList,
  EventListQuery,
  EventOptions,
  EventOptionsQuery,
  EventPage,
  EventSession,
  EventUpdate,
  SessionCreate,
  SessionIdParams,
  SessionUpdate,
} from '../../../contract/api/events.ts';
import { Problem } from '../../../contract/problem.ts';
import { ANY_ROLE, MANAGER_UP } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { type EventDeps, eventOptions, eventPicker, getEvent, listEvents } from './events.service.ts';
import { createSession, deleteSession, updateSession } from './events.sessions.ts';
import { createEvent, deleteEvent, updateEvent } from './events.write.ts';

const read = {
  auth: 'session_or_token',
  tokenScope: 'events:read',
  kind: 'api',
  rateLimit: RATE.read,
} as const;
const write = {
  auth: 'session_or_token',
  tokenScope: 'events:write',
  kind: 'api',
  rateLimit: RATE.write,
} as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['events'];
const base = '/api/v1/events';
const noQuery = z.strictObject({});
const noBody = z.strictObject({}).nullish();
const deleted = z.null().describe('Deleted');
const MANAGE =
  'Managers and admins; a manager only events whose owner is in their reporting scope (403 for an event ' +
  'you can read but not manage).';

export function eventRoutes(app: FastifyInstance, deps: EventDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    base,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'The event calendar: filtered, sorted, keyset pages',
        description:
          'Every signed-in role reads it. insightCount counts linked insights within your insight scope ' +
          '(merged duplicates once); canManage says whether you may edit the row. manageable=false lists the ' +
          'events you read but may not edit.',
        querystring: EventListQuery,
        response: { 200: EventPage, ...errors },
      },
    },
    async (request) => listEvents(deps, request.ctx, request.query),
  );

  r.get(
    `${base}/picker`,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'The capture picker: active events with their sessions, yours first',
        querystring: noQuery,
        response: { 200: EventList, ...errors },
      },
    },
    async (request) => eventPicker(deps, request.ctx),
  );

  r.get(
    `${base}/options`,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'Event names for filter drop-downs, newest first (q searches the name)',
        querystring: EventOptionsQuery,
        response: { 200: EventOptions, ...errors },
      },
    },
    async (request) => eventOptions(deps, request.ctx, request.query),
  );

  r.get(
    `${base}/:id`,
    {
      config: { ...read, access: { roles: ANY_ROLE, record: 'shared' } },
      schema: {
        tags,
        summary: 'One event: assignments, sessions, capture coverage and the newest linked insights',
        description: 'Insight counts, coverage and linked insights are limited to your insight scope.',
        params: EventIdParams,
        querystring: noQuery,
        response: { 200: EventDetail, ...errors },
      },
    },
    async (request) => getEvent(deps, request.ctx, request.params.id),
  );

  r.post(
    base,
    {
      config: { ...write, access: { roles: MANAGER_UP } },
      schema: {
        tags,
        summary: 'Create an event (the owner defaults to you)',
        description: `${MANAGE} Name + start day are unique ignoring case and spacing (409 naming name).`,
        querystring: noQuery,
        body: EventCreate,
        response: { 201: EventDetail, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createEvent(deps, request.ctx, request.body)),
  );

  r.patch(
    `${base}/:id`,
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'shared' } },
      schema: {
        tags,
        summary: 'Edit an event (only the fields sent; version from the last read)',
        description: `${MANAGE} A stale version is 409 naming the current one. Sending assignments replaces them.`,
        params: EventIdParams,
        querystring: noQuery,
        body: EventUpdate,
        response: { 200: EventDetail, ...errors },
      },
    },
    async (request) => updateEvent(deps, request.ctx, request.params.id, request.body),
  );

  r.delete(
    `${base}/:id`,
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'shared' } },
      schema: {
        tags,
        summary: 'Delete an event nothing refers to',
        description: `${MANAGE} 409 while insights or feedback forms are linked: set it inactive or cancelled.`,
        params: EventIdParams,
        querystring: noQuery,
        body: noBody,
        response: { 204: deleted, ...errors },
      },
    },
    async (request, reply) => {
      await deleteEvent(deps, request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    `${base}/:id/sessions`,
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'shared' } },
      schema: {
        tags,
        summary: 'Add a session to an event',
        description: MANAGE,
        params: EventIdParams,
        querystring: noQuery,
        body: SessionCreate,
        response: { 201: EventSession, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSession(deps, request.ctx, request.params.id, request.body)),
  );

  r.patch(
    `${base}/:id/sessions/:sessionId`,
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'shared' } },
      schema: {
        tags,
        summary: 'Edit a session (only the fields sent; version from the last read)',
        description: `${MANAGE} A session of another event is 404.`,
        params: SessionIdParams,
        querystring: noQuery,
        body: SessionUpdate,
        response: { 200: EventSession, ...errors },
      },
    },
    async (request) => updateSession(deps, request.ctx, request.params, request.body),
  );

  r.delete(
    `${base}/:id/sessions/:sessionId`,
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'shared' } },
      schema: {
        tags,
        summary: 'Remove a session no insight refers to',
        description: `${MANAGE} 409 while insights are linked to it.`,
        params: SessionIdParams,
        querystring: noQuery,
        body: noBody,
        response: { 204: deleted, ...errors },
      },
    },
    async (request, reply) => {
      await deleteSession(deps, request.ctx, request.params);
      return reply.code(204).send(null);
    },
  );
}
