import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { isAdminOnly } from '../../plugins/access.ts';
import { audit } from './audit.service.ts';

/**
 * Refused requests are evidence. One hook, not one call per route, records:
 *
 * - `access.denied` — a signed-in person's request answered 403 when it tried to change something (POST, PUT,
 *   PATCH, DELETE) or used an admin-only route (any method; a route whose declared access admits admins alone);
 * - `request.rejected` — an admin's state change on an admin-only route answered 400, 409 or 422: the field
 *   names of the problem, never the values or the body.
 *
 * Not recorded here, because their own modules already record them: sign-in failures and requests without a
 * credential (no actor), every request of a break-glass session (`break_glass.request`), an API token without
 * the route's scope (`api_token.refused`), SCIM credentials (`scim.auth.failed`). Each event is written after
 * the response, in its own transaction, and at most once per person, kind and route every `windowMs` (10 s) in
 * this process: the refusals in between are counted and the next event carries the count (`suppressed`), so a
 * flood of refused requests cannot flood the chain.
 */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REJECTED = new Set([400, 409, 422]);
export const DENIAL_WINDOW_MS = 10_000;
const MAX_FIELDS = 20;
const MAX_TRACKED = 10_000;

/** Per key, at most one write per window; what was held back is counted and handed to the next write. */
export function denialThrottle(windowMs: number, clock: () => number = Date.now) {
  const windows = new Map<string, { writtenAt: number; suppressed: number }>();
  return (key: string): { write: boolean; suppressed: number } => {
    const now = clock();
    const seen = windows.get(key);
    if (seen && now - seen.writtenAt < windowMs) {
      seen.suppressed += 1;
      return { write: false, suppressed: 0 };
    }
    windows.set(key, { writtenAt: now, suppressed: 0 });
    if (windows.size > MAX_TRACKED)
      for (const [k, w] of windows) if (now - w.writtenAt >= windowMs) windows.delete(k);
    return { write: true, suppressed: seen?.suppressed ?? 0 };
  };
}

interface Problem {
  reason: string | null;
  fields: string[];
}

/** The problem+json the client got: its type as a reason code, and its field names. */
function problemOf(payload: unknown): Problem {
  if (typeof payload !== 'string') return { reason: null, fields: [] };
  try {
    const body = JSON.parse(payload) as { type?: unknown; errors?: unknown };
    const type = typeof body.type === 'string' ? body.type : '';
    const reason = /\/problems\/([a-z-]{1,60})$/.exec(type)?.[1]?.replaceAll('-', '_') ?? null;
    const fields = Array.isArray(body.errors)
      ? [
          ...new Set(
            body.errors
              .map((e) => (e && typeof e === 'object' ? (e as { field?: unknown }).field : null))
              .filter((f): f is string => typeof f === 'string')
              .map((f) => f.slice(0, 100)),
          ),
        ].slice(0, MAX_FIELDS)
      : [];
    return { reason, fields };
  } catch {
    return { reason: null, fields: [] };
  }
}

type Verdict = { action: 'access.denied' | 'request.rejected'; route: string } | null;

/** Whether this answered request is one to record (see the module comment). */
function verdictOf(request: FastifyRequest, status: number): Verdict {
  const actor = request.ctx?.actor;
  const config = request.routeOptions.config;
  const route = request.routeOptions.url;
  if (!actor || !route || actor.via === 'break_glass') return null;
  if (config?.auth !== 'session' && config?.auth !== 'session_or_token') return null;
  const unsafe = UNSAFE.has(request.method);
  const adminOnly = isAdminOnly(config.access);
  if (status === 403) {
    const scopeRefused =
      actor.via === 'token' && !(config.tokenScope && actor.tokenScopes?.includes(config.tokenScope));
    return !scopeRefused && (unsafe || adminOnly) ? { action: 'access.denied', route } : null;
  }
  if (REJECTED.has(status) && unsafe && adminOnly && actor.role === 'admin')
    return { action: 'request.rejected', route };
  return null;
}

export function registerAuditDenials(app: FastifyInstance, deps: { db: Db; windowMs?: number }): void {
  const admit = denialThrottle(deps.windowMs ?? DENIAL_WINDOW_MS);
  const problems = new WeakMap<FastifyRequest, Problem>();

  app.addHook('onSend', async (request, reply, payload) => {
    if (verdictOf(request, reply.statusCode) !== null) problems.set(request, problemOf(payload));
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const verdict = verdictOf(request, reply.statusCode);
    const actor = request.ctx?.actor;
    if (!verdict || !actor) return;
    const { write, suppressed } = admit(
      `${verdict.action}|${actor.personId}|${request.method} ${verdict.route}`,
    );
    if (!write) return;
    const problem = problems.get(request) ?? { reason: null, fields: [] };
    const base = { method: request.method, route: verdict.route, status: reply.statusCode, suppressed };
    try {
      await deps.db.transaction((tx) =>
        verdict.action === 'access.denied'
          ? audit(tx, request.ctx, {
              action: 'access.denied',
              outcome: 'failure',
              targetId: verdict.route,
              details: { ...base, reason: problem.reason },
            })
          : audit(tx, request.ctx, {
              action: 'request.rejected',
              outcome: 'failure',
              targetId: verdict.route,
              details: { ...base, fields: problem.fields },
            }),
      );
    } catch (err) {
      request.log.error({ err, route: verdict.route }, 'could not audit a refused request');
    }
  });
}
