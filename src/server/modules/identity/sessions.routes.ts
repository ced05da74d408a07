import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import { SessionEnded, SessionList, type SessionSummary } from '../../../contract/api/me.ts';
import { Problem } from '../../../contract/problem.ts';
import { ForbiddenError, NotFoundError } from '../../errors.ts';
import { ADMIN_ONLY, ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { requireActor } from '../../plugins/types.ts';
import type { Actor } from './actor.ts';
import * as repo from './identity.repo.ts';
import { endSessionById, type IdentityDeps } from './session.service.ts';

function summary(
  session: repo.SessionRow,
  person: { id: string; name: string; email: string },
  actor: Actor,
): SessionSummary {
  return {
    id: session.id,
    kind: session.kind,
    current: session.id === actor.sessionId,
    person,
    role: session.role,
    amr: session.amr,
    ip: session.ip,
    userAgent: session.userAgent,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    idleExpiresAt: session.idleExpiresAt.toISOString(),
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
  };
}

/** Only admins see and end other people's sessions. */
function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') throw new ForbiddenError('Only admins can see or end other people’s sessions.');
}

const IdParams = z.strictObject({ id: Uuid });

/** A person lists and ends their own sessions; an admin lists and ends anyone's. */
export function sessionRoutes(app: FastifyInstance, deps: IdentityDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/sessions',
    {
      config: { access: { roles: ANY_ROLE }, auth: 'session', kind: 'api', rateLimit: RATE.read },
      schema: {
        tags: ['identity'],
        summary: 'My live sessions (every device I am signed in on)',
        querystring: z.strictObject({}),
        response: { 200: SessionList, 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      const actor = requireActor(request.ctx);
      const rows = await repo.listSessionsOfPerson(deps.db, actor.personId, deps.now());
      const me = { id: actor.personId, name: actor.name, email: actor.email };
      return { items: rows.map((s) => summary(s, me, actor)) };
    },
  );

  r.post(
    '/api/v1/sessions/:id/end',
    {
      config: {
        access: { roles: ANY_ROLE, record: 'own' },
        auth: 'session',
        kind: 'api',
        rateLimit: RATE.write,
      },
      schema: {
        tags: ['identity'],
        summary: 'End one of my sessions (sign out that device)',
        params: IdParams,
        body: z.strictObject({}),
        response: { 200: SessionEnded, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const actor = requireActor(request.ctx);
      const ended = await endSessionById(deps, request.ctx, request.params.id, 'self', actor.personId);
      if (!ended) throw new NotFoundError('session');
      return { ended: true as const };
    },
  );

  r.get(
    '/api/v1/admin/sessions',
    {
      config: { access: { roles: ADMIN_ONLY }, auth: 'session', kind: 'api', rateLimit: RATE.read },
      schema: {
        tags: ['identity'],
        summary: 'Every live session (admin), optionally of one person',
        querystring: z.strictObject({ personId: Uuid.optional() }),
        response: { 200: SessionList, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const actor = requireActor(request.ctx);
      requireAdmin(actor);
      const rows = await repo.listAllSessions(deps.db, deps.now(), 500, request.query.personId);
      return {
        items: rows.map((row) =>
          summary(
            row.session,
            { id: row.session.personId, name: row.personName, email: row.personEmail },
            actor,
          ),
        ),
      };
    },
  );

  r.post(
    '/api/v1/admin/sessions/:id/end',
    {
      config: {
        access: { roles: ADMIN_ONLY, record: 'shared' },
        auth: 'session',
        kind: 'api',
        rateLimit: RATE.write,
        privileged: true,
      },
      schema: {
        tags: ['identity'],
        summary: "End anyone's session (admin; needs a recent MFA sign-in)",
        params: IdParams,
        body: z.strictObject({}),
        response: { 200: SessionEnded, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      requireAdmin(requireActor(request.ctx));
      if (!(await endSessionById(deps, request.ctx, request.params.id, 'admin')))
        throw new NotFoundError('session');
      return { ended: true as const };
    },
  );
}
