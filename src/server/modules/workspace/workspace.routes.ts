import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Comment,
  CommentInput,
  CommentList,
  CommentTarget,
  IdParams,
  MentionFeed,
  Phase,
  PhaseIdParams,
  PhaseUpdate,
  Risk,
  RiskCreate,
  RiskList,
  RiskListQuery,
  RiskUpdate,
  WORKSPACE_LIMITS,
  Workspace,
  Workstream,
  WorkstreamCreate,
  WorkstreamUpdate,
} from '../../../contract/api/workspace.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY, ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { GOVERNANCE_READ, GOVERNANCE_WRITE } from '../readiness/governance.policy.ts';
import { createComment, listComments, mentionsOfMe } from './workspace.comments.ts';
import {
  createRisk,
  createWorkstream,
  getWorkspace,
  listRisks,
  updatePhase,
  updateRisk,
  updateWorkstream,
  type WorkspaceDeps,
} from './workspace.service.ts';

export type { WorkspaceDeps } from './workspace.service.ts';

const read = GOVERNANCE_READ;
const write = GOVERNANCE_WRITE;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['workspace'];
const base = '/api/v1/workspace';
const noQuery = z.strictObject({});
const ADMINS =
  'Admins only (403 otherwise). Send the version you read: a stale one is 409 naming the current one.';

/** The program workspace (docs/readiness.md): phases, workstreams, risks, comments with @mentions. */
export function workspaceRoutes(app: FastifyInstance, deps: WorkspaceDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    base,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'The program workspace: phases with live exit gates, workstreams, risks, open blockers',
        description:
          'Every signed-in role reads it (a token needs readiness:read). Phase states follow the live readiness ' +
          'report: complete when every exit gate passes (the rollout gate also needs a go verdict), the first ' +
          'incomplete phase is current, later ones upcoming.',
        querystring: noQuery,
        response: { 200: Workspace, ...errors },
      },
    },
    async (request) => getWorkspace(deps, request.ctx),
  );

  r.patch(
    `${base}/phases/:id`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: "Edit a phase's owner, description, target date or exit gates",
        description: `${ADMINS} Exit gates are readiness gate ids (400 naming body.exitGates.<i> for an unknown one).`,
        params: PhaseIdParams,
        querystring: noQuery,
        body: PhaseUpdate,
        response: { 200: Phase, ...errors },
      },
    },
    async (request) => updatePhase(deps, request.ctx, request.params.id, request.body),
  );

  r.post(
    `${base}/workstreams`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY } },
      schema: {
        tags,
        summary: 'Add a workstream',
        description: 'Admins only. Names are unique ignoring case (409).',
        querystring: noQuery,
        body: WorkstreamCreate,
        response: { 201: Workstream, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createWorkstream(deps, request.ctx, request.body)),
  );

  r.patch(
    `${base}/workstreams/:id`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: 'Edit a workstream (only the fields sent)',
        description: ADMINS,
        params: IdParams,
        querystring: noQuery,
        body: WorkstreamUpdate,
        response: { 200: Workstream, ...errors },
      },
    },
    async (request) => updateWorkstream(deps, request.ctx, request.params.id, request.body),
  );

  r.get(
    `${base}/risks`,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'Risks, worst first, optionally by level and status',
        querystring: RiskListQuery,
        response: { 200: RiskList, ...errors },
      },
    },
    async (request) => listRisks(deps, request.ctx, request.query),
  );

  r.post(
    `${base}/risks`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY } },
      schema: {
        tags,
        summary: 'Add a risk',
        description:
          'Admins only. A risk at level blocker that is open or mitigating makes the readiness verdict no-go.',
        querystring: noQuery,
        body: RiskCreate,
        response: { 201: Risk, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createRisk(deps, request.ctx, request.body)),
  );

  r.patch(
    `${base}/risks/:id`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: 'Edit a risk (level, status, mitigation, owner…; only the fields sent)',
        description: ADMINS,
        params: IdParams,
        querystring: noQuery,
        body: RiskUpdate,
        response: { 200: Risk, ...errors },
      },
    },
    async (request) => updateRisk(deps, request.ctx, request.params.id, request.body),
  );

  r.get(
    `${base}/comments`,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'The comment thread on a decision, risk, workstream or phase, oldest first',
        description: `The newest ${WORKSPACE_LIMITS.comments} comments. 404 when the target does not exist.`,
        querystring: CommentTarget,
        response: { 200: CommentList, ...errors },
      },
    },
    async (request) => listComments(deps, request.ctx, request.query),
  );

  r.post(
    `${base}/comments`,
    {
      config: { access: { roles: ANY_ROLE }, auth: 'session', kind: 'api', rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Comment on a decision, risk, workstream or phase; @first.last mentions a person',
        description:
          'Everyone who reads the workspace may comment. Handles are resolved to people when written; an ' +
          'unknown handle stays plain text. 404 when the target does not exist.',
        querystring: CommentTarget,
        body: CommentInput,
        response: { 201: Comment, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createComment(deps, request.ctx, request.query, request.body)),
  );

  r.get(
    `${base}/mentions`,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'Comments that mention you, newest first',
        description: `At most ${WORKSPACE_LIMITS.mentionsFeed}.`,
        querystring: noQuery,
        response: { 200: MentionFeed, ...errors },
      },
    },
    async (request) => mentionsOfMe(deps, request.ctx),
  );
}
