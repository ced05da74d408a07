import type { FastifyInstance } from 'fastify';

/** Redacted wherever they appear in a log object: credentials, cookies, tokens and personal fields. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.email',
  '*.name',
  '*.idToken',
  '*.token',
  '*.password',
];

/**
 * One summary line per request (Fastify's own per-request lines are off): request id, method, route template
 * (never the raw path with ids), status, duration and the actor's id and role — no e-mail or names.
 */
export function registerRequestLogging(app: FastifyInstance) {
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.config.kind === 'asset' && reply.statusCode < 400) return;
    const actor = request.ctx?.actor;
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      actorId: actor?.personId ?? null,
      role: actor?.role ?? null,
      traceId: request.ctx?.traceId ?? undefined,
    };
    if (reply.statusCode >= 500) request.log.error(line, 'request completed');
    else request.log.info(line, 'request completed');
  });
}
