import type { FastifyRequest } from 'fastify';
import type { TokenScope } from '../../contract/api/tokens.ts';
import type { Actor, RequestContext } from '../modules/identity/actor.ts';
import type { ResolvedSession } from '../modules/identity/session.service.ts';

/**
 * How a route is reached. `public`: no session needed (sign-in, health, web assets).
 * `session`: a signed-in person (cookie session; CSRF enforced on state changes).
 * `session_or_token`: also a personal or service API token (`Authorization: Bearer bi_…`) carrying the
 * route's `tokenScope`; the token acts with its owner's current role and scope, never more.
 * `scim`: the identity provider's SCIM credential (`bi_scim_…`), checked by the SCIM plugin under /scim/v2;
 * never a session or a user API token.
 */
export type AuthMode = 'public' | 'session' | 'session_or_token' | 'scim';
/** `api`: JSON with a response schema. `page`: server-rendered HTML or a redirect. `asset`: a static file. */
export type RouteKind = 'api' | 'page' | 'asset';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
    kind?: RouteKind;
    /** The API token scope a `session_or_token` route needs, e.g. `insights:read`. */
    tokenScope?: TokenScope;
    /**
     * A privileged action: the session must have authenticated recently — with MFA for the roles the
     * trusted-claims model names — or the answer is 403 step-up-required. API tokens never reach these.
     */
    privileged?: boolean;
  }
  interface FastifyRequest {
    ctx: RequestContext;
    resolvedSession: ResolvedSession | null;
    /** Why the presented credential (a bearer token) was refused; answered 401 after the rate limit. */
    credentialProblem: string | null;
    /** The SCIM credential of a /scim/v2 request (the rate limit keys on it). */
    scimCredentialId: string | null;
  }
}

/** The actor of a route declared `auth: 'session'`: the actor plugin guarantees it is there. */
export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new Error('route declared auth: session but no actor was resolved');
  return ctx.actor;
}

/** The session of a route declared `auth: 'session'` (for the few handlers that need more than the actor). */
export function requireSession(request: FastifyRequest): ResolvedSession {
  if (!request.resolvedSession) throw new Error('route declared auth: session but no session was resolved');
  return request.resolvedSession;
}
