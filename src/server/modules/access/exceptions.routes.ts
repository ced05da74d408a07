import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccessException,
  AccessExceptionPage,
  ExceptionApprove,
  ExceptionCreate,
  ExceptionListQuery,
  ExceptionReject,
  ExceptionRevoke,
} from '../../../contract/api/access.ts';
import { Uuid } from '../../../contract/api/common.ts';
import { Problem } from '../../../contract/problem.ts';
import { ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import {
  decideException,
  type ExceptionDeps,
  getException,
  listExceptions,
  requestException,
  revokeException,
} from './exceptions.service.ts';

const session = { auth: 'session', kind: 'api' } as const;
const privileged = { ...session, privileged: true } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['entitlements'];
const byId = z.strictObject({ id: Uuid });
const noQuery = z.strictObject({});

/** Time-bound access exceptions: request, approve or reject (someone else), revoke, list. */
export function exceptionRoutes(app: FastifyInstance, deps: ExceptionDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/access/exceptions',
    {
      config: { ...session, access: { roles: ANY_ROLE }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Access exceptions you may see, newest first (admins all; managers their scope; you yours)',
        querystring: ExceptionListQuery,
        response: { 200: AccessExceptionPage, ...errors },
      },
    },
    async (request) => listExceptions(deps, request.ctx, request.query),
  );

  r.get(
    '/api/v1/access/exceptions/:id',
    {
      config: { ...session, access: { roles: ANY_ROLE, record: 'exception' }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'One access exception (404 outside what you may see)',
        params: byId,
        querystring: noQuery,
        response: { 200: AccessException, ...errors },
      },
    },
    async (request) => getException(deps, request.ctx, request.params.id),
  );

  r.post(
    '/api/v1/access/exceptions',
    {
      config: { ...session, access: { roles: ANY_ROLE, sso: true }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Request a time-bound access exception (for yourself, or as a manager or admin; audited)',
        description:
          'Grants nothing until someone other than the requester and the subject approves it. The expiry is ' +
          'required, in the future and at most 90 days away.',
        querystring: noQuery,
        body: ExceptionCreate,
        response: { 201: AccessException, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await requestException(deps, request.ctx, request.body)),
  );

  r.post(
    '/api/v1/access/exceptions/:id/approve',
    {
      config: {
        ...privileged,
        access: { roles: ANY_ROLE, sso: true, record: 'exception' },
        rateLimit: RATE.write,
      },
      schema: {
        tags,
        summary:
          "Approve a requested exception (an admin, or the subject's direct manager when allowed; never the requester or subject)",
        params: byId,
        querystring: noQuery,
        body: ExceptionApprove,
        response: { 200: AccessException, ...errors },
      },
    },
    async (request) =>
      decideException(deps, request.ctx, request.params.id, 'approved', request.body.note ?? null),
  );

  r.post(
    '/api/v1/access/exceptions/:id/reject',
    {
      config: {
        ...session,
        access: { roles: ANY_ROLE, sso: true, record: 'exception' },
        rateLimit: RATE.write,
      },
      schema: {
        tags,
        summary: 'Reject a requested exception, with a note (the same people who may approve it)',
        params: byId,
        querystring: noQuery,
        body: ExceptionReject,
        response: { 200: AccessException, ...errors },
      },
    },
    async (request) => decideException(deps, request.ctx, request.params.id, 'rejected', request.body.note),
  );

  r.post(
    '/api/v1/access/exceptions/:id/revoke',
    {
      config: {
        ...session,
        access: { roles: ANY_ROLE, sso: true, record: 'exception' },
        rateLimit: RATE.write,
      },
      schema: {
        tags,
        summary: "End an active exception now (an admin, its approver or the subject's manager; audited)",
        params: byId,
        querystring: noQuery,
        body: ExceptionRevoke,
        response: { 200: AccessException, ...errors },
      },
    },
    async (request) => revokeException(deps, request.ctx, request.params.id, request.body.reason),
  );
}
