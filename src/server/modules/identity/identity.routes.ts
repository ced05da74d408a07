import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LogoutResult, Me } from '../../../contract/api/me.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { Problem } from '../../../contract/problem.ts';
import { atLeast, describeScope } from '../../../contract/roles.ts';
import { TAXONOMY_VERSION } from '../../../contract/taxonomy.ts';
import { escapeHtml, page } from '../../http/html.ts';
import { ANY_ROLE } from '../../plugins/access.ts';
import { type CookieSettings, clearSessionCookie, setSessionCookie } from '../../plugins/actor.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { requireActor, requireSession } from '../../plugins/types.ts';
import { effectiveAccessFor } from '../access/entitlements.service.ts';
import { filterGroups } from '../access/groups.ts';
import { modelVersion } from '../claims-model/claims-model.service.ts';
import { personNames } from './identity.repo.ts';
import { finishLogin, logout, safeReturnTo, startLogin } from './identity.service.ts';
import { csrfTokenFor } from './identity.tokens.ts';
import { type IdentityDeps, needsStepUp } from './session.service.ts';

export interface IdentityRouteDeps {
  identity: IdentityDeps;
  cookies: CookieSettings;
  sessionSecret: string;
}

const CallbackQuery = z.looseObject({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(512).optional(),
  error: z.string().max(100).optional(),
  error_description: z.string().max(1000).optional(),
});

const ReturnToQuery = z.strictObject({ returnTo: z.string().max(LIMITS.returnTo).optional() });

const pageRoute = { auth: 'public', kind: 'page', rateLimit: RATE.auth } as const;

function htmlPage(reply: FastifyReply, status: number, title: string, body: string) {
  return reply.code(status).type('text/html; charset=utf-8').send(page(title, body));
}

export function identityRoutes(app: FastifyInstance, deps: IdentityRouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/',
    { config: { ...pageRoute, rateLimit: RATE.read }, schema: { hide: true } },
    async (request, reply) => {
      const actor = request.ctx.actor;
      if (actor)
        return reply.redirect(
          atLeast(actor.role, 'manager') || actor.role === 'viewer' ? '/admin/' : '/capture/',
        );
      return htmlPage(
        reply,
        200,
        'Sign in',
        `<h1>Builder Insights</h1>
<p>Capture what developers tell you in the field, and turn it into reporting product and leadership trust.</p>
<p><a class="button" href="/auth/login">Sign in with SSO</a></p>
<p class="muted">You sign in with your company account. Access follows your Builder Relations membership.</p>`,
      );
    },
  );

  const begin = async (request: FastifyRequest, reply: FastifyReply, returnTo: string, stepUp: boolean) => {
    let started: Awaited<ReturnType<typeof startLogin>>;
    try {
      started = await startLogin(
        deps.identity,
        safeReturnTo(returnTo),
        stepUp ? request.resolvedSession : null,
      );
    } catch (err) {
      request.log.error({ err }, 'identity provider unreachable');
      const retry = stepUp
        ? `/auth/step-up?returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`
        : '/auth/login';
      return htmlPage(
        reply,
        503,
        'Sign-in unavailable',
        `<h1>Sign-in is unavailable</h1><p>We can't reach the identity provider right now. Nothing was lost.</p>
<p><a class="button" href="${escapeHtml(retry)}">Try again</a></p>
<p class="muted">If the identity provider stays down, an on-call admin can use <a href="/auth/break-glass">emergency access</a>.</p>`,
      );
    }
    reply.setCookie(deps.cookies.flowName, started.flowToken, {
      httpOnly: true,
      secure: deps.cookies.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: started.flowTtlSeconds,
    });
    return reply.redirect(started.redirectUrl);
  };

  r.get(
    '/auth/login',
    { config: pageRoute, schema: { hide: true, querystring: ReturnToQuery } },
    (request, reply) => begin(request, reply, request.query.returnTo ?? '/', false),
  );

  /** Re-authenticate the current session (prompt=login, max_age=0, acr_values from the model). */
  r.get(
    '/auth/step-up',
    { config: pageRoute, schema: { hide: true, querystring: ReturnToQuery } },
    (request, reply) => {
      const returnTo = request.query.returnTo ?? '/';
      if (request.resolvedSession?.session.kind !== 'sso') {
        return reply.redirect(`/auth/login?returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`);
      }
      return begin(request, reply, returnTo, true);
    },
  );

  r.get(
    '/auth/callback',
    { config: pageRoute, schema: { hide: true, querystring: CallbackQuery } },
    async (request, reply) => {
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const outcome = await finishLogin(deps.identity, request.ctx, {
        flowToken: request.cookies[deps.cookies.flowName],
        callbackQuery: rawQuery,
        previousSessionToken: request.cookies[deps.cookies.sessionName],
        currentSession: request.resolvedSession,
      });
      reply.clearCookie(deps.cookies.flowName, { path: '/', secure: deps.cookies.secure });
      if (!outcome.ok) {
        // A failed re-authentication leaves the session it was for as it was; otherwise no half-state remains.
        if (!request.resolvedSession) clearSessionCookie(reply, deps.cookies);
        return htmlPage(
          reply,
          outcome.status,
          'Sign-in failed',
          `<h1>We couldn't sign you in</h1><p>${escapeHtml(outcome.message)}</p>
<p><a class="button" href="/auth/login">Try again</a></p>
<p class="muted">Reference: ${escapeHtml(request.id)} (${escapeHtml(outcome.reason)})</p>`,
        );
      }
      setSessionCookie(reply, deps.cookies, outcome.sessionToken, outcome.absoluteExpiresAt);
      return reply.redirect(outcome.returnTo);
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { access: { roles: ANY_ROLE }, auth: 'session', kind: 'api', rateLimit: RATE.auth },
      schema: {
        tags: ['identity'],
        summary: 'Sign out: deletes the session and returns the identity provider sign-out URL',
        body: z.strictObject({}),
        response: { 200: LogoutResult, 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const redirectTo = await logout(deps.identity, request.ctx, requireSession(request));
      clearSessionCookie(reply, deps.cookies);
      return { redirectTo };
    },
  );

  r.get(
    '/api/v1/me',
    {
      config: { access: { roles: ANY_ROLE }, auth: 'session', kind: 'api', rateLimit: RATE.read },
      schema: {
        tags: ['identity'],
        summary:
          'The signed-in person, their role, scope and where they come from, MFA state, and the CSRF token',
        querystring: z.strictObject({}),
        response: { 200: Me, 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      const actor = requireActor(request.ctx);
      const resolved = requireSession(request);
      const { session, person } = resolved;
      const version = session.claimsModelVersion ?? 1;
      const model = await modelVersion(deps.identity.db, version);
      const derived =
        session.kind === 'sso'
          ? await effectiveAccessFor(
              deps.identity.db,
              { ...person, groups: filterGroups(person.groups, model.groupFilter) },
              deps.identity.now(),
            )
          : null;
      const names = await personNames(
        deps.identity.db,
        actor.scope.kind === 'limited' ? actor.scope.trees : [],
      );
      return {
        person: {
          id: actor.personId,
          name: actor.name,
          email: actor.email,
          team: actor.team,
          status: person.status,
        },
        role: actor.role,
        scope: actor.scope,
        scopeLabel: describeScope(actor.scope, (id) => (id === actor.personId ? 'you' : names.get(id))),
        entitlements: derived?.access?.entitlements ?? [],
        ruleSetVersion: derived?.ruleSetVersion ?? null,
        claimsModelVersion: version,
        session: {
          id: session.id,
          kind: session.kind,
          createdAt: session.createdAt.toISOString(),
          idleExpiresAt: session.idleExpiresAt.toISOString(),
          absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
          amr: session.amr,
          acr: session.acr,
          authenticatedAt: session.authTime?.toISOString() ?? null,
          mfa: {
            requiredForRole: model.mfa.requiredFor.includes(session.role),
            satisfiedAt: session.mfaAt?.toISOString() ?? null,
            fresh: (await needsStepUp(deps.identity, resolved)) === null,
            windowMinutes: model.mfa.stepUpMaxAgeMinutes,
          },
        },
        csrfToken: csrfTokenFor(deps.sessionSecret, session.id),
        taxonomyVersion: TAXONOMY_VERSION,
      };
    },
  );
}
