import type { FastifyRequest } from 'fastify';
import type { TokenScope } from '../../contract/api/tokens.ts';
import type { Role } from '../../contract/roles.ts';
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
/**
 * What a route's `:id` (or other path parameter) names, and so how the reader's scope hides it. Another
 * person's or another scope's record answers 404, never 403.
 * - `insight`: an insight (and what hangs off it): visible within the reader's reporting scope.
 * - `person`: a person in the directory: visible within the reader's reporting scope.
 * - `own`: something that belongs to one person (a session, a saved view, an API token): only its owner.
 * - `exception`: an access exception: its subject, requester, decider, direct manager, the managers whose
 *   scope holds the subject, and admins.
 * - `review`: an access review or one of its items: its reviewer and admins.
 * - `shared`: a record everyone allowed on the route sees alike (an event, a form, a decision, a package).
 */
export type RecordKind = 'insight' | 'person' | 'own' | 'exception' | 'review' | 'shared';

/**
 * The documented authorization of a signed-in route, declared with the route and enforced by the actor
 * plugin before the body is read (403 below `role`; 403 for a break-glass session on `sso` routes). Domain
 * policies then decide what only the record can tell (scope, ownership, four eyes). The authorization
 * matrix test reads these declarations from the route table and checks every role against them.
 */
export interface RouteAccess {
  /** The lowest role that may use the route (everyone who can sign in has at least `viewer`). */
  role: Role;
  /** Needs an SSO session: a break-glass session (which restores service, nothing more) is refused. */
  sso?: true;
  /** What the route's path parameter names; required when the route has one. */
  record?: RecordKind;
}

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
    /** Who may use a `session` / `session_or_token` route (required on those; see RouteAccess). */
    access?: RouteAccess;
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
