import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BreakGlassApproval,
  BreakGlassDecision,
  BreakGlassReviewClose,
  BreakGlassStatus,
  BreakGlassUse,
  BreakGlassUseList,
  BreakGlassUseQuery,
} from '../../../contract/api/break-glass.ts';
import { Uuid } from '../../../contract/api/common.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { ADMIN_ONLY } from '../../plugins/access.ts';
import { type CookieSettings, setSessionCookie } from '../../plugins/actor.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { audit } from '../audit/audit.service.ts';
import type { OidcClient } from '../identity/identity.oidc.ts';
import { breakGlassStatus, closeReview, decideApproval, listBreakGlassUses } from './break-glass.admin.ts';
import { breakGlassFormPage, breakGlassResultPage } from './break-glass.pages.ts';
import { breakGlassSignIn } from './break-glass.signin.ts';
import type { IdpHealthRecorder } from './idp-health.ts';

export interface BreakGlassRouteDeps {
  db: Db;
  now: () => Date;
  config: Pick<Config, 'breakGlass' | 'publicUrl'>;
  oidc: Pick<OidcClient, 'probe'>;
  idpHealth: IdpHealthRecorder;
  cookies: CookieSettings;
  sessionSecret: string;
}

/** Break-glass sign-in attempts per client address and minute (on top of the per-principal lockout). */
export const BREAK_GLASS_RATE = { name: 'breakGlass', max: 10, timeWindow: 60_000 } as const;
const FORM_BODY_LIMIT = 4096;

const SignInForm = z.object({
  name: z.string().max(100).default(''),
  secret: z.string().max(200).default(''),
  code: z.string().max(12).default(''),
  reason: z.string().trim().max(500).default(''),
});

const admin = { auth: 'session', kind: 'api' } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 429: Problem };
const html = 'text/html; charset=utf-8';

export function breakGlassRoutes(app: FastifyInstance, deps: BreakGlassRouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const settings = deps.config.breakGlass;

  r.get(
    '/auth/break-glass',
    { config: { auth: 'public', kind: 'page', rateLimit: RATE.auth }, schema: { hide: true } },
    async (_request, reply) =>
      reply.type(html).header('cache-control', 'no-store').send(breakGlassFormPage(settings)),
  );

  // The one form post in the app: its urlencoded parser lives in this scope only, with a small body limit.
  app.register(async (scoped) => {
    scoped.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scoped.post(
      '/auth/break-glass',
      { config: { auth: 'public', kind: 'page', rateLimit: BREAK_GLASS_RATE }, schema: { hide: true } },
      async (request, reply) => {
        reply.type(html).header('cache-control', 'no-store');
        if (request.headers['sec-fetch-site'] === 'cross-site') {
          return reply
            .code(403)
            .send(breakGlassResultPage('Forbidden', 'Cross-site sign-in is refused.', request.id));
        }
        const form = SignInForm.safeParse(request.body ?? {});
        const values = form.success ? form.data : { name: '', secret: '', code: '', reason: '' };
        if (!form.success || !values.name || !values.secret || !values.code || values.reason.length < 10) {
          return reply
            .code(400)
            .send(
              breakGlassFormPage(
                settings,
                { name: values.name, reason: values.reason },
                'Fill in every field; the reason needs at least 10 characters.',
              ),
            );
        }
        const outcome = await breakGlassSignIn(
          {
            db: deps.db,
            now: deps.now,
            sessionSecret: deps.sessionSecret,
            oidc: deps.oidc,
            idpHealth: deps.idpHealth,
            config: deps.config,
            log: request.log,
          },
          request.ctx,
          values,
        );
        if (!outcome.ok) {
          if (outcome.retryAfterSeconds) reply.header('retry-after', String(outcome.retryAfterSeconds));
          return reply
            .code(outcome.status)
            .send(breakGlassResultPage(outcome.title, outcome.message, `${request.id} (${outcome.reason})`));
        }
        setSessionCookie(reply, deps.cookies, outcome.sessionToken, outcome.endsAt);
        return reply.redirect('/admin/', 303);
      },
    );
  });

  r.get(
    '/api/v1/admin/break-glass',
    {
      config: { ...admin, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags: ['break-glass'],
        summary:
          'Break-glass status: principals, identity provider health, whether it opens now, requests, reviews',
        querystring: z.strictObject({}),
        response: { 200: BreakGlassStatus, ...errors },
      },
    },
    async (request) => breakGlassStatus(deps, request.ctx),
  );

  r.get(
    '/api/v1/admin/break-glass/uses',
    {
      config: { ...admin, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags: ['break-glass'],
        summary: 'Break-glass uses (newest first, up to 100), optionally by review status',
        querystring: BreakGlassUseQuery,
        response: { 200: BreakGlassUseList, ...errors },
      },
    },
    async (request) => listBreakGlassUses(deps, request.ctx, request.query.review),
  );

  for (const [action, decision] of [
    ['approve', 'approved'],
    ['deny', 'denied'],
  ] as const) {
    r.post(
      `/api/v1/admin/break-glass/approvals/:id/${action}`,
      {
        config: {
          ...admin,
          access: { roles: ADMIN_ONLY, sso: true, record: 'shared' },
          rateLimit: RATE.write,
          privileged: true,
        },
        schema: {
          tags: ['break-glass'],
          summary: `${action === 'approve' ? 'Approve' : 'Deny'} a pending break-glass request (an SSO admin, never the requester)`,
          params: z.strictObject({ id: Uuid }),
          body: BreakGlassDecision,
          response: { 200: BreakGlassApproval, ...errors },
        },
      },
      async (request) => decideApproval(deps, request.ctx, request.params.id, decision),
    );
  }

  r.post(
    '/api/v1/admin/break-glass/uses/:id/close-review',
    {
      config: {
        ...admin,
        access: { roles: ADMIN_ONLY, sso: true, record: 'shared' },
        rateLimit: RATE.write,
        privileged: true,
      },
      schema: {
        tags: ['break-glass'],
        summary: 'Close the post-use review of a break-glass session (an SSO admin, with notes)',
        params: z.strictObject({ id: Uuid }),
        body: BreakGlassReviewClose,
        response: { 200: BreakGlassUse, ...errors },
      },
    },
    async (request) => closeReview(deps, request.ctx, request.params.id, request.body),
  );
}

/**
 * Every request made in a break-glass session leaves a `break_glass.request` audit event (method, route
 * template, status, use id), flagged break-glass. Written after the response; a failed write is logged.
 */
export function registerBreakGlassAudit(app: FastifyInstance, db: Db) {
  app.addHook('onResponse', async (request, reply) => {
    const actor = request.ctx?.actor;
    if (actor?.via !== 'break_glass') return;
    const useId = request.resolvedSession?.session.breakGlassUseId ?? '';
    const route = request.routeOptions.url ?? 'unmatched';
    try {
      await db.transaction((tx) =>
        audit(tx, request.ctx, {
          action: 'break_glass.request',
          outcome: reply.statusCode < 400 ? 'success' : 'failure',
          targetId: route,
          details: { method: request.method, route, status: reply.statusCode, useId },
          breakGlass: true,
        }),
      );
    } catch (err) {
      request.log.error({ err, useId, route }, 'could not audit a break-glass request');
    }
  });
}
