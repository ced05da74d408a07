import type { FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../../contract/roles.ts';
import { ForbiddenError } from '../errors.ts';
import type { RouteAccess } from './types.ts';

/** The role sets routes declare (`config.access.roles`). Everyone who can sign in holds one of the four roles. */
export const ANY_ROLE: readonly Role[] = ROLES;
export const ADVOCATE_UP: readonly Role[] = ['advocate', 'manager', 'admin'];
export const MANAGER_UP: readonly Role[] = ['manager', 'admin'];
export const ADMIN_ONLY: readonly Role[] = ['admin'];

/** Whether the route is for admins alone (audit.denials records every refusal on these). */
export function isAdminOnly(access: RouteAccess | undefined): boolean {
  return access !== undefined && access.roles.length === 1 && access.roles[0] === 'admin';
}

/**
 * The route-level gate: the declared roles, and no break-glass session where the route needs SSO. Runs once
 * the actor is known and before the body is read; domain policies then decide what depends on the record.
 */
export function checkRouteAccess(request: FastifyRequest): void {
  const access = request.routeOptions.config.access;
  const actor = request.ctx.actor;
  if (!access || !actor) return;
  if (!access.roles.includes(actor.role))
    throw new ForbiddenError(
      `Your role (${actor.role}) cannot use this; it is for ${describe(access.roles)}.`,
    );
  if (access.sso && actor.via === 'break_glass')
    throw new ForbiddenError(
      'A break-glass session restores service; this needs an admin signed in through SSO.',
    );
}

function describe(roles: readonly Role[]): string {
  if (roles.length === ROLES.length) return 'everyone';
  return roles.map((r) => `${r}s`).join(', ');
}
