import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  RulePreview,
  RulePreviewRequest,
  RuleSetApproval,
  RuleSetChange,
  RuleSetOverview,
  RuleSetProposed,
  RuleSetRejection,
  RuleSetVersion,
} from '../../../contract/api/access.ts';
import { queryInt } from '../../../contract/api/common.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import {
  approveRules,
  previewRules,
  proposeRules,
  type RulesDeps,
  rejectRules,
  rulesOverview,
} from './rules.service.ts';

const session = { auth: 'session', kind: 'api' } as const;
const privileged = { ...session, privileged: true } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['entitlements'];
const noQuery = z.strictObject({});
const byVersion = z.strictObject({ version: queryInt(1, 1_000_000) });

/** The entitlement rules: admins read them, preview a change, propose it and approve a colleague's. */
export function ruleRoutes(app: FastifyInstance, deps: RulesDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/entitlements/rules',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'The active entitlement rules, the pending change and recent versions (admin)',
        querystring: noQuery,
        response: { 200: RuleSetOverview, ...errors },
      },
    },
    async (request) => rulesOverview(deps, request.ctx),
  );

  r.post(
    '/api/v1/entitlements/rules/preview',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Who would gain and who would lose what under a proposed rule set (admin; changes nothing)',
        querystring: noQuery,
        body: RulePreviewRequest,
        response: { 200: RulePreview, ...errors },
      },
    },
    async (request) => previewRules(deps, request.ctx, request.body.spec),
  );

  r.post(
    '/api/v1/entitlements/rules',
    {
      config: { ...privileged, access: { roles: ADMIN_ONLY, sso: true }, rateLimit: RATE.write },
      schema: {
        tags,
        summary:
          'Propose a new rule-set version (admin; audited with its preview; needs a recent MFA sign-in)',
        description:
          'With ENTITLEMENT_RULES_APPROVAL=second_admin the version waits for a different admin to approve it; ' +
          'with single_admin it is active at once. A newer proposal withdraws a pending one. Refused (409) ' +
          'when you would lose admin yourself or no one would be an admin through a rule.',
        querystring: noQuery,
        body: RuleSetChange,
        response: { 201: RuleSetProposed, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await proposeRules(deps, request.ctx, request.body)),
  );

  r.post(
    '/api/v1/entitlements/rules/versions/:version/approve',
    {
      config: {
        ...privileged,
        access: { roles: ADMIN_ONLY, sso: true, record: 'shared' },
        rateLimit: RATE.write,
      },
      schema: {
        tags,
        summary: 'Approve and activate a pending version (an admin other than its author; audited)',
        params: byVersion,
        querystring: noQuery,
        body: RuleSetApproval,
        response: { 200: RuleSetVersion, ...errors },
      },
    },
    async (request) => approveRules(deps, request.ctx, request.params.version),
  );

  r.post(
    '/api/v1/entitlements/rules/versions/:version/reject',
    {
      config: {
        ...privileged,
        access: { roles: ADMIN_ONLY, sso: true, record: 'shared' },
        rateLimit: RATE.write,
      },
      schema: {
        tags,
        summary: 'Reject a pending version, or withdraw your own (admin; audited)',
        params: byVersion,
        querystring: noQuery,
        body: RuleSetRejection,
        response: { 200: RuleSetVersion, ...errors },
      },
    },
    async (request) => rejectRules(deps, request.ctx, request.params.version, request.body.note),
  );
}
