import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import { MentionablePeople, MentionableQuery } from '../../../contract/api/review.ts';
import {
  Impact,
  ImpactQuery,
  InsightActivity,
  InsightReactions,
  MentionPage,
  MentionsQuery,
  Note,
  NoteCreate,
  ReactionParams,
} from '../../../contract/api/social.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADVOCATE_UP, ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { myImpact } from './impact.service.ts';
import { mentionablePeople, myMentions } from './mentions.service.ts';
import { addNote, insightActivity, type SocialDeps, setReaction } from './social.service.ts';

const api = { auth: 'session_or_token', kind: 'api' } as const;
const read = { ...api, tokenScope: 'insights:read', rateLimit: RATE.read } as const;
const write = { ...api, tokenScope: 'insights:write', rateLimit: RATE.write } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
/** Reacting carries everything in the path; a client may send no body or an empty object. */
const noBody = z.strictObject({}).nullish();

export function socialRoutes(app: FastifyInstance, deps: SocialDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/insights/:id/activity',
    {
      config: { ...read, access: { roles: ANY_ROLE, record: 'insight' } },
      schema: {
        tags: ['social'],
        summary: "An insight's reactions (every kind, with yours marked) and team notes, oldest first",
        description:
          'Includes the duplicates merged into it (those in your scope): a person who reacted the same way on ' +
          'several counts once; each note names the insight it is on.',
        params: z.strictObject({ id: Uuid }),
        querystring: z.strictObject({}),
        response: { 200: InsightActivity, ...errors },
      },
    },
    async (request) => insightActivity(deps, request.ctx, request.params.id),
  );

  const reactionRoutes = [
    {
      method: 'PUT',
      present: true,
      summary: 'React to an insight in your scope (idempotent: once per person and kind)',
      description: "Answers the insight's reactions as they now stand. Viewers cannot react (403).",
    },
    {
      method: 'DELETE',
      present: false,
      summary: 'Take back your reaction (idempotent: nothing to take back is fine)',
      description: "Answers the insight's reactions as they now stand.",
    },
  ] as const;
  for (const { method, present, summary, description } of reactionRoutes) {
    r.route({
      method,
      url: '/api/v1/insights/:id/reactions/:reaction',
      config: { ...write, access: { roles: ADVOCATE_UP, record: 'insight' } },
      schema: {
        tags: ['social'],
        summary,
        description,
        params: ReactionParams,
        querystring: z.strictObject({}),
        body: noBody,
        response: { 200: InsightReactions, ...errors },
      },
      handler: async (request) =>
        setReaction(
          deps,
          request.ctx,
          { insightId: request.params.id, reaction: request.params.reaction },
          present,
        ),
    });
  }

  r.post(
    '/api/v1/insights/:id/notes',
    {
      config: { ...write, access: { roles: ADVOCATE_UP, record: 'insight' } },
      schema: {
        tags: ['social'],
        summary: 'Add a team note, or a reply to a top-level note (idempotent on the client-generated id)',
        description:
          '201 when created; 200 with the stored note when you already saved this id on this insight; 409 when ' +
          'the id is in use elsewhere. parentId must be a top-level note of the same insight (400 otherwise). ' +
          'mentions are ids of active people (see /api/v1/people/mentionable); 400 naming body.mentions[i] ' +
          'otherwise.',
        params: z.strictObject({ id: Uuid }),
        querystring: z.strictObject({}),
        body: NoteCreate,
        response: { 200: Note, 201: Note, ...errors, 409: Problem },
      },
    },
    async (request, reply) => {
      const { note, created } = await addNote(deps, request.ctx, request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(note);
    },
  );

  r.get(
    '/api/v1/me/impact',
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags: ['social'],
        summary: 'Your own insights: your numbers, and the newest ones with the reactions and notes they got',
        querystring: ImpactQuery,
        response: { 200: Impact, 400: Problem, 401: Problem },
      },
    },
    async (request) => myImpact(deps, request.ctx, request.query.limit),
  );

  r.get(
    '/api/v1/me/mentions',
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags: ['social'],
        summary: 'Notes that @mention you, newest first, on insights in your scope',
        querystring: MentionsQuery,
        response: { 200: MentionPage, 400: Problem, 401: Problem },
      },
    },
    async (request) => myMentions(deps, request.ctx, request.query),
  );

  r.get(
    '/api/v1/people/mentionable',
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags: ['social'],
        summary: 'People you can @mention in a note: active, with a role that writes notes, matching q',
        description:
          'q matches the display name or the e-mail local part anywhere (case-insensitive, % and _ literal); ' +
          'names or local parts starting with q first, then by name. For those who write notes (viewers: 403).',
        querystring: MentionableQuery,
        response: { 200: MentionablePeople, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => mentionablePeople(deps, request.ctx, request.query),
  );
}
