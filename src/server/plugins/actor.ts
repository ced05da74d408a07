import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, StepUpRequiredError, UnauthorizedError } from '../errors.ts';
import type { Actor, RequestContext } from '../modules/identity/actor.ts';
import { csrfTokenFor, safeEqual } from '../modules/identity/identity.tokens.ts';
import { type IdentityDeps, needsStepUp, resolveSession } from '../modules/identity/session.service.ts';
import { checkRouteAccess } from './access.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CookieSettings {
  secure: boolean;
  sessionName: string;
  flowName: string;
}

/** `__Host-` cookies (Secure, path=/, no Domain) whenever the app is served over https. */
export function cookieSettings(secure: boolean): CookieSettings {
  return secure
    ? { secure, sessionName: '__Host-bi_session', flowName: '__Host-bi_login' }
    : { secure, sessionName: 'bi_session', flowName: 'bi_login' };
}

export function setSessionCookie(reply: FastifyReply, cookies: CookieSettings, token: string, expires: Date) {
  reply.setCookie(cookies.sessionName, token, {
    httpOnly: true,
    secure: cookies.secure,
    sameSite: 'lax',
    path: '/',
    expires,
  });
}

export function clearSessionCookie(reply: FastifyReply, cookies: CookieSettings) {
  reply.clearCookie(cookies.sessionName, {
    path: '/',
    secure: cookies.secure,
    httpOnly: true,
    sameSite: 'lax',
  });
}

/** How the plugin authenticates `Authorization: Bearer` API tokens (implemented by the tokens module). */
export interface TokenAuthenticator {
  /** The token's actor (its owner's current role and scope), or null when unknown, expired or revoked. */
  resolve(rawToken: string, ctx: RequestContext): Promise<Actor | null>;
  /** Record a refused use (missing scope): privileged attempts leave an audit trail. */
  refused(ctx: RequestContext, actor: Actor, needed: string, method: string, route: string): Promise<void>;
}

/** The credential of `Authorization: Bearer <credential>` (an API token, or an IdP's signed JWT), bounded. */
export function bearerToken(request: FastifyRequest, maxLength = 200): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const value = match?.[1];
  return value && value.length <= maxLength ? value : null;
}

/**
 * Where a client sends the person to re-authenticate. The client adds `?returnTo=<its page>`: the server
 * cannot know the page (Referrer-Policy is no-referrer).
 */
const STEP_UP_URL = '/auth/step-up';

/**
 * Resolves the actor on every non-asset request (global onRequest, so the per-route rate limit that runs next
 * can key on the person or token): an API token from `Authorization: Bearer`, else the session cookie. A
 * session whose role changed gets a rotated token here. Then, before any body is parsed (preParsing): 401
 * without a usable credential, 403 for a token without the route's scope, step-up for privileged actions,
 * and CSRF on cookie-authenticated state changes (cross-site fetches are refused outright).
 */
export function registerActor(
  app: FastifyInstance,
  deps: {
    identity: IdentityDeps;
    cookies: CookieSettings;
    sessionSecret: string;
    tokens: TokenAuthenticator;
  },
) {
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    // SCIM routes authenticate the identity provider's own credential (modules/scim), never a person.
    if (config.kind === 'asset' || config.auth === 'scim') return;
    // Public routes that take a bearer credential (Universal Logout) verify it themselves.
    const bearer = config.auth === 'public' ? null : bearerToken(request);
    if (bearer) {
      // Refused in preParsing, after the rate limit (keyed by IP without an actor) has counted the attempt.
      if (config.auth !== 'session_or_token') {
        request.credentialProblem =
          'API tokens are not accepted here; this endpoint needs a signed-in session.';
        return;
      }
      const actor = await deps.tokens.resolve(bearer, request.ctx);
      if (actor) request.ctx.actor = actor;
      else request.credentialProblem = 'The API token is unknown, expired or revoked.';
      return;
    }
    const token = request.cookies[deps.cookies.sessionName];
    if (!token) return;
    const resolved = await resolveSession(deps.identity, request.ctx, token);
    if (!resolved) {
      clearSessionCookie(reply, deps.cookies);
      return;
    }
    request.resolvedSession = resolved;
    request.ctx.actor = resolved.actor;
    if (resolved.rotatedToken) {
      setSessionCookie(reply, deps.cookies, resolved.rotatedToken, resolved.session.absoluteExpiresAt);
    }
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const config = request.routeOptions.config;
    if (config.auth !== 'session' && config.auth !== 'session_or_token') return payload;
    if (request.credentialProblem) throw new UnauthorizedError(request.credentialProblem);
    const actor = request.ctx.actor;
    if (!actor) throw new UnauthorizedError('Sign in to continue: your session is missing or has ended.');

    if (actor.via === 'token') {
      const needed = config.tokenScope;
      if (!needed || !actor.tokenScopes?.includes(needed)) {
        await deps.tokens.refused(
          request.ctx,
          actor,
          needed ?? 'none',
          request.method,
          request.routeOptions.url ?? '',
        );
        throw new ForbiddenError(
          needed ? `This API token lacks the ${needed} scope.` : 'API tokens cannot be used for this action.',
        );
      }
      checkRouteAccess(request);
      return payload;
    }

    checkRouteAccess(request);
    if (config.privileged) {
      const resolved = request.resolvedSession;
      const reason = resolved ? await needsStepUp(deps.identity, resolved) : 'no session';
      if (reason) throw new StepUpRequiredError(reason, STEP_UP_URL);
    }
    if (SAFE_METHODS.has(request.method)) return payload;
    if (request.headers['sec-fetch-site'] === 'cross-site') {
      throw new ForbiddenError('Cross-site requests cannot change data.');
    }
    const sent = request.headers['x-csrf-token'];
    const sessionId = actor.sessionId ?? '';
    if (typeof sent !== 'string' || !safeEqual(sent, csrfTokenFor(deps.sessionSecret, sessionId))) {
      throw new ForbiddenError('Missing or invalid X-CSRF-Token header. Reload the page and try again.');
    }
    return payload;
  });
}
