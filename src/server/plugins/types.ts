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
 * What a route's `:id` (or other path parameter) names, and so who sees it. A record the caller may not see
 * answers 404, never 403 (its existence is not revealed); 403 is for a record the caller sees but may not change.
 * - `insight`: an insight and what hangs off it (attachments, notes, reactions, duplicates): its author is in
 *   the reader's reporting scope.
 * - `person`: a person in the directory: in the reader's reporting scope (admins: everyone).
 * - `form`: a feedback form: its owner, the managers whose scope holds the owner, admins.
 * - `import`: an event import: whoever made it, and admins.
 * - `own`: a session, an API token, a saved view: its owner (a saved view once shared: every reader).
 * - `exception`: an access exception: its subject, requester, decider, the subject's direct manager, the
 *   managers whose scope holds the subject, admins.
 * - `review`: an access review or one of its items: its reviewers (their own items) and admins.
 * - `shared`: a record everyone the route admits sees alike (an event, a decision, a package, a gate).
 */
export type RecordKind = 'insight' | 'person' | 'form' | 'import' | 'own' | 'exception' | 'review' | 'shared';

/**
 * The documented authorization of a signed-in route, declared with the route and enforced by the actor
 * plugin before the body is read (403 for other roles; 403 for a break-glass session on `sso` routes). Domain
 * policies then decide what only the record can tell (scope, ownership, four eyes). The authorization
 * matrix test reads these declarations from the route table and checks every role against them.
 */
export interface RouteAccess {
  /** The roles that may use the route (plugins/access.ts names the usual sets). */
  roles: readonly Role[];
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
