import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  ApiTokenIssued,
  ApiTokenPage,
  ApiTokenSummary,
  TokenAdminListQuery,
  TokenAdminRevoke,
  TokenCreate,
  TokenDecision,
  TokenListQuery,
  TokenRequestCreate,
  TokenRevoke,
} from '../../../contract/api/tokens.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY, ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import {
  adminListTokens,
  createPersonalToken,
  decideServiceToken,
  issueServiceToken,
  listMyTokens,
  requestServiceToken,
  revokeToken,
  type TokenDeps,
} from './tokens.service.ts';

/** Tokens are managed from a signed-in session only: an API token never reaches these routes. */
const session = { auth: 'session', kind: 'api' } as const;
const privileged = { ...session, privileged: true } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['tokens'];
const byId = z.strictObject({ id: Uuid });
const noQuery = z.strictObject({});
const emptyBody = z.strictObject({});

export function tokenRoutes(app: FastifyInstance, deps: TokenDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/tokens',
    {
      config: { ...session, access: { roles: ANY_ROLE }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Your API tokens and service token requests, newest first',
        querystring: TokenListQuery,
        response: { 200: ApiTokenPage, ...errors },
      },
    },
    async (request) => listMyTokens(deps, request.ctx, request.query),
  );

  r.post(
    '/api/v1/tokens',
    {
      config: { ...privileged, access: { roles: ANY_ROLE }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Create a personal API token (the token is shown once, in this answer only)',
        description:
          'The token acts as you, within your current role and scope, limited to its scopes, until it expires ' +
          '(at most 90 days). Needs a recent sign-in (step-up).',
        querystring: noQuery,
        body: TokenCreate,
        response: { 201: ApiTokenIssued, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPersonalToken(deps, request.ctx, request.body)),
  );

  r.post(
    '/api/v1/tokens/:id/revoke',
    {
      config: { ...session, access: { roles: ANY_ROLE, record: 'own' }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Revoke one of your tokens, or withdraw a service token request',
        params: byId,
        querystring: noQuery,
        body: TokenRevoke,
        response: { 200: ApiTokenSummary, ...errors },
      },
    },
    async (request) => revokeToken(deps, request.ctx, request.params.id, 'self', request.body.reason),
  );

  r.post(
    '/api/v1/token-requests',
    {
      config: { ...privileged, access: { roles: ANY_ROLE }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Request a service token; an admin other than you approves it, then you issue it',
        querystring: noQuery,
        body: TokenRequestCreate,
        response: { 201: ApiTokenSummary, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await requestServiceToken(deps, request.ctx, request.body)),
  );

  r.post(
    '/api/v1/tokens/:id/issue',
    {
      config: { ...privileged, access: { roles: ANY_ROLE, record: 'own' }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Collect an approved service token (shown once); its lifetime starts now',
        params: byId,
        querystring: noQuery,
        body: emptyBody,
        response: { 200: ApiTokenIssued, ...errors },
      },
    },
    async (request) => issueServiceToken(deps, request.ctx, request.params.id),
  );

  r.get(
    '/api/v1/admin/tokens',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Every API token and service token request (admins), newest first',
        querystring: TokenAdminListQuery,
        response: { 200: ApiTokenPage, ...errors },
      },
    },
    async (request) => adminListTokens(deps, request.ctx, request.query),
  );

  for (const [action, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    r.post(
      `/api/v1/admin/tokens/:id/${action}`,
      {
        config: {
          ...privileged,
          access: { roles: ADMIN_ONLY, sso: true, record: 'shared' },
          rateLimit: RATE.write,
        },
        schema: {
          tags,
          summary: `${action === 'approve' ? 'Approve' : 'Reject'} a service token request (an admin other than the requester)`,
          params: byId,
          querystring: noQuery,
          body: TokenDecision,
          response: { 200: ApiTokenSummary, ...errors },
        },
      },
      async (request) =>
        decideServiceToken(deps, request.ctx, request.params.id, decision, request.body.note),
    );
  }

  r.post(
    '/api/v1/admin/tokens/:id/revoke',
    {
      config: { ...privileged, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: "Revoke anyone's token or request (admins)",
        params: byId,
        querystring: noQuery,
        body: TokenAdminRevoke,
        response: { 200: ApiTokenSummary, ...errors },
      },
    },
    async (request) => revokeToken(deps, request.ctx, request.params.id, 'admin', request.body.reason),
  );
}
