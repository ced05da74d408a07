import type { FastifyInstance } from 'fastify';
import { requestSpan } from '../observability/http.ts';
import { activeSpanContext } from '../observability/tracing.ts';

/**
 * Redacted where they appear in a log object: credentials, cookies, tokens and personal fields. pino's `*` matches
 * one level, so each personal or secret key is listed at the top level, one level down and (for the personal
 * fields most likely to sit in a nested object) two levels down.
 */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'email',
  'name',
  'displayName',
  'token',
  'secret',
  'password',
  '*.email',
  '*.name',
  '*.displayName',
  '*.idToken',
  '*.token',
  '*.secret',
  '*.password',
  '*.*.email',
  '*.*.displayName',
];

/**
 * The pino `mixin`: every log line written while a span is active (a request, a job) carries its `traceId` and
 * `spanId`, so logs and traces join on the trace id. Lines outside any span carry neither.
 */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  const span = activeSpanContext();
  return span ? { traceId: span.traceId, spanId: span.spanId } : {};
}

/**
 * One summary line per request (Fastify's own per-request lines are off): request id, method, route template
 * (never the raw path with ids), status, duration and the actor's id and role — no e-mail or names — and the
 * ids of the request's SERVER span (named explicitly: the line is written after the response, whatever context
 * Node runs that in).
 */
export function registerRequestLogging(app: FastifyInstance) {
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.config.kind === 'asset' && reply.statusCode < 400) return;
    const actor = request.ctx?.actor;
    const span = requestSpan(request)?.spanContext();
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      actorId: actor?.personId ?? null,
      role: actor?.role ?? null,
      traceId: span?.traceId ?? request.ctx?.traceId ?? undefined,
      spanId: span?.spanId,
    };
    if (reply.statusCode >= 500) request.log.error(line, 'request completed');
    else request.log.info(line, 'request completed');
  });
}
