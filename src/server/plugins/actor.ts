import type { FastifyInstance, FastifyReply } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { type IdentityDeps, resolveSession } from '../modules/identity/identity.service.ts';
import { csrfTokenFor, safeEqual } from '../modules/identity/identity.tokens.ts';

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

/**
 * Resolves the actor from the session cookie on every non-asset request (global onRequest, so the per-route
 * rate limit that runs next can key on the person). Then, before any body is parsed (preParsing): 401 for
 * session routes without a session, and CSRF on state changes — the X-CSRF-Token header must carry the
 * session-bound token, and cross-site fetches are refused outright.
 */
export function registerActor(
  app: FastifyInstance,
  deps: { identity: IdentityDeps; cookies: CookieSettings; sessionSecret: string },
) {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.kind === 'asset') return;
    const token = request.cookies[deps.cookies.sessionName];
    if (!token) return;
    const resolved = await resolveSession(deps.identity, token);
    if (resolved) {
      request.resolvedSession = resolved;
      request.ctx.actor = resolved.actor;
    } else {
      clearSessionCookie(reply, deps.cookies);
    }
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.routeOptions.config.auth !== 'session') return payload;
    const actor = request.ctx.actor;
    if (!actor) throw new UnauthorizedError('Sign in to continue: your session is missing or has ended.');
    if (SAFE_METHODS.has(request.method)) return payload;
    if (request.headers['sec-fetch-site'] === 'cross-site') {
      throw new ForbiddenError('Cross-site requests cannot change data.');
    }
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, csrfTokenFor(deps.sessionSecret, actor.sessionId))) {
      throw new ForbiddenError('Missing or invalid X-CSRF-Token header. Reload the page and try again.');
    }
    return payload;
  });
}
