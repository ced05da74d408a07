import {
  TOKEN_PERSONAL_RATE_MAX,
  TOKEN_SCOPES_BY_ROLE,
  type TokenScope,
} from '../../../contract/api/tokens.ts';
import type { Role } from '../../../contract/roles.ts';
import { AppError, ConflictError, ForbiddenError, ValidationError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The one place API token permissions are decided.
 *
 * - Scopes a role may hold: viewers only read scopes; advocates read scopes and `insights:write` (they
 *   capture, but do not manage events); managers and admins every scope. Checked when a token is created,
 *   requested and issued, and again on every request: a token's effective scopes are its scopes that its
 *   owner's CURRENT role still allows, so a demotion narrows every token at once. Scopes only say which
 *   operations a token reaches; what it sees there is its owner's scope, applied in SQL by each module.
 * - A token's own rate budget: a personal token (self-issued) may only lower the default budgets, up to
 *   the read default; a service token (approved by another admin) may raise them.
 * - Tokens are managed from a signed-in session only (the routes are `auth: 'session'`); an API token never
 *   creates, lists or revokes tokens. Admins approve, reject, list and revoke anyone's tokens.
 * - A person sees only their own tokens; someone else's token answers 404.
 */
export function scopesAllowedFor(role: Role): readonly TokenScope[] {
  return TOKEN_SCOPES_BY_ROLE[role];
}

/** The scopes a token may use right now: those it carries that its owner's current role still allows. */
export function effectiveScopes(role: Role, scopes: readonly string[]): TokenScope[] {
  const allowed = scopesAllowedFor(role);
  return scopes.filter((s): s is TokenScope => (allowed as readonly string[]).includes(s));
}

/** Refuses (403, naming the field) scopes beyond the person's current role. */
export function checkScopesForRole(role: Role, scopes: readonly string[]): void {
  const allowed = scopesAllowedFor(role);
  const beyond = scopes.filter((s) => !(allowed as readonly string[]).includes(s));
  if (beyond.length === 0) return;
  throw new AppError(403, 'Forbidden', `Your role (${role}) cannot hold ${beyond.join(', ')}.`, [
    { field: 'body.scopes', message: `${beyond.join(', ')} is beyond your role (${role})` },
  ]);
}

/** Refuses (400, naming the field) a personal token budget above what a signed-in person gets. */
export function checkRateLimitForKind(kind: 'personal' | 'service', perMinute: number | null): void {
  if (kind === 'service' || perMinute === null || perMinute <= TOKEN_PERSONAL_RATE_MAX) return;
  throw new ValidationError(
    `A personal token's budget is at most ${TOKEN_PERSONAL_RATE_MAX} requests a minute; request a service token for more.`,
    [
      {
        field: 'body.rateLimitPerMinute',
        message: `must be at most ${TOKEN_PERSONAL_RATE_MAX} for a personal token`,
      },
    ],
  );
}

export type TokenAction = 'manage_own' | 'administer';

export function authorizeTokens(actor: Actor, action: TokenAction): void {
  if (actor.via === 'token')
    throw new ForbiddenError('API tokens cannot manage API tokens. Sign in instead.');
  if (action === 'manage_own') return;
  if (actor.role !== 'admin') throw new ForbiddenError('Only admins can administer API tokens.');
}

/** Whether the actor may see (and act on) this token as its owner. Others get 404, never 403. */
export function ownsToken(actor: Actor, token: { ownerId: string }): boolean {
  return token.ownerId === actor.personId;
}

/**
 * Four eyes: a service token is approved by an SSO-signed-in admin other than the person who requested it
 * (an emergency break-glass session restores service; it does not hand out new credentials).
 */
export function authorizeDecision(actor: Actor, token: { ownerId: string }): void {
  if (actor.via !== 'session')
    throw new ForbiddenError('Service tokens are approved from an SSO session, not break-glass.');
  if (token.ownerId === actor.personId)
    throw new ConflictError('A service token request is decided by an admin other than its requester.');
}
