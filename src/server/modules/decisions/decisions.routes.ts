import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Decision,
  DecisionCreate,
  DecisionEditConflict,
  DecisionHistory,
  DecisionIdParams,
  DecisionList,
  DecisionListQuery,
  DecisionUpdate,
} from '../../../contract/api/decisions.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY, ANY_ROLE } from '../../plugins/access.ts';
import { GOVERNANCE_READ, GOVERNANCE_WRITE } from '../readiness/governance.policy.ts';
import {
  createDecision,
  type DecisionDeps,
  decisionHistory,
  getDecision,
  listDecisions,
  updateDecision,
} from './decisions.service.ts';

export type { DecisionDeps } from './decisions.service.ts';

/** Everyone with a role reads the register (a token needs readiness:read); admins write it, in the app. */
const read = GOVERNANCE_READ;
const write = GOVERNANCE_WRITE;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const tags = ['decisions'];
const base = '/api/v1/decisions';
const noQuery = z.strictObject({});
const WRITE_NOTE =
  'Admins only. dependsOn names existing decisions, never the decision itself and never a cycle (400 naming ' +
  'body.dependsOn); status "decided" needs a non-empty direction (400 naming body.direction). There is no ' +
  'delete: a register keeps its history; a decision closes by being decided.';

export function decisionRoutes(app: FastifyInstance, deps: DecisionDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    base,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'The decision register by number, filtered by owner, status and workstream',
        description:
          'status takes one status or a comma list. owners and workstreams list the whole register (for the ' +
          'filters). overdue: past the due date (UTC) and not decided.',
        querystring: DecisionListQuery,
        response: { 200: DecisionList, ...errors },
      },
    },
    async (request) => listDecisions(deps, request.ctx, request.query),
  );

  r.get(
    `${base}/:id`,
    {
      config: { ...read, access: { roles: ANY_ROLE, record: 'shared' } },
      schema: {
        tags,
        summary: 'One decision with its dependencies',
        params: DecisionIdParams,
        querystring: noQuery,
        response: { 200: Decision, ...errors },
      },
    },
    async (request) => getDecision(deps, request.ctx, request.params.id),
  );

  r.get(
    `${base}/:id/history`,
    {
      config: { ...read, access: { roles: ANY_ROLE, record: 'shared' } },
      schema: {
        tags,
        summary: "A decision's versions, newest first: the full state, the fields changed, who and when",
        params: DecisionIdParams,
        querystring: noQuery,
        response: { 200: DecisionHistory, ...errors },
      },
    },
    async (request) => decisionHistory(deps, request.ctx, request.params.id),
  );

  r.post(
    base,
    {
      config: { ...write, access: { roles: ADMIN_ONLY } },
      schema: {
        tags,
        summary: 'Add a decision (numbered DEC-<max + 1>)',
        description: WRITE_NOTE,
        querystring: noQuery,
        body: DecisionCreate,
        response: { 201: Decision, ...errors, 409: Problem },
      },
    },
    async (request, reply) => reply.code(201).send(await createDecision(deps, request.ctx, request.body)),
  );

  r.patch(
    `${base}/:id`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: 'Edit a decision (only the fields sent; version from the last read)',
        description:
          `${WRITE_NOTE} A stale version is 409 saying who changed it meanwhile, with the current decision ` +
          '(current) whose version to send after reloading; nothing is written.',
        params: DecisionIdParams,
        querystring: noQuery,
        body: DecisionUpdate,
        response: { 200: Decision, ...errors, 409: DecisionEditConflict },
      },
    },
    async (request) => updateDecision(deps, request.ctx, request.params.id, request.body),
  );
}
