import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DigestPreview,
  DigestRun,
  DigestRunList,
  DigestRunsQuery,
  DigestSettings,
} from '../../../contract/api/digest.ts';
import { Problem } from '../../../contract/problem.ts';
import { MANAGER_UP } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { type DigestDeps, digestSettings, listRuns, previewDigest, sendDigestNow } from './digest.service.ts';

// Posting to a team channel is a person's act in the app: sessions only, never API tokens.
const session = { auth: 'session', kind: 'api' } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem };
const tags = ['digest'];
const base = '/api/v1/digest';
const noQuery = z.strictObject({});

export function digestRoutes(app: FastifyInstance, deps: DigestDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    `${base}/preview`,
    {
      config: { ...session, access: { roles: MANAGER_UP }, rateLimit: RATE.read },
      schema: {
        tags,
        summary:
          "Last week's Slack digest in your scope: Block Kit blocks, text fallback and numbers (posts nothing)",
        description:
          'Managers and admins. The previous full ISO week (Monday–Sunday, UTC) against the week before, counted ' +
          'like the dashboard (your scope, merged duplicates once).',
        querystring: noQuery,
        response: { 200: DigestPreview, ...errors },
      },
    },
    async (request) => previewDigest(deps, request.ctx),
  );

  r.post(
    `${base}/send`,
    {
      config: { ...session, access: { roles: MANAGER_UP }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Send the digest you preview to the Slack channel now (managers and admins; audited)',
        description:
          'Posts exactly the preview: your scope, labelled so. 201 with the run when Slack accepted it; 409 when no ' +
          'webhook is configured; 502 when Slack refused it or did not answer (the run is recorded as failed).',
        querystring: noQuery,
        body: z.strictObject({}),
        response: { 201: DigestRun, ...errors, 409: Problem, 502: Problem },
      },
    },
    async (request, reply) => reply.code(201).send(await sendDigestNow(deps, request.ctx)),
  );

  r.get(
    `${base}/runs`,
    {
      config: { ...session, access: { roles: MANAGER_UP }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Recent digest runs, newest first: trigger, week, status, Slack status, who, when',
        querystring: DigestRunsQuery,
        response: { 200: DigestRunList, ...errors },
      },
    },
    async (request) => listRuns(deps, request.ctx, request.query.limit),
  );

  r.get(
    `${base}/settings`,
    {
      config: { ...session, access: { roles: MANAGER_UP }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Whether a Slack webhook is configured, and the schedule (never the webhook URL)',
        querystring: noQuery,
        response: { 200: DigestSettings, ...errors },
      },
    },
    async (request) => digestSettings(deps, request.ctx),
  );
}
