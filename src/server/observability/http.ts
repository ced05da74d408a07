import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { histogram } from './metrics.ts';
import { ensureTracing, getTracer, recordFailure } from './tracing.ts';

/** The OpenTelemetry semantic-convention buckets for http.server.request.duration (seconds). */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
] as const;

export const httpServerDuration = histogram(
  'http_server_request_duration_seconds',
  'Duration of HTTP server requests (OpenTelemetry http.server.request.duration), by method, route template and status.',
  HTTP_DURATION_BUCKETS,
);

/** Methods recorded as themselves; anything else is `_OTHER` (semantic conventions), so labels stay bounded. */
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
]);
/** The route label of a request no route matched (404 from the router). */
export const UNMATCHED_ROUTE = 'unmatched';
const USER_AGENT_MAX = 256;

export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : '_OTHER';
}

/** The route template (never the raw path), or undefined when no route matched. */
export function routeTemplate(request: FastifyRequest): string | undefined {
  return request.routeOptions.url || undefined;
}

interface RequestSpan {
  span: Span;
  ended: boolean;
  /** The error the handler threw, if any (recorded on the span only when the answer is a 5xx). */
  error?: Error;
}

const spans = new WeakMap<FastifyRequest, RequestSpan>();

/** The SERVER span of a request (for the summary log line), if it has one. */
export function requestSpan(request: FastifyRequest): Span | undefined {
  return spans.get(request)?.span;
}

function endSpan(request: FastifyRequest, reply: FastifyReply): void {
  const entry = spans.get(request);
  if (!entry || entry.ended) return;
  entry.ended = true;
  const status = reply.raw.statusCode;
  entry.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (!reply.raw.writableFinished) entry.span.addEvent('response not completed: the connection closed first');
  // 4xx answers are the caller's problem, not the server's: only 5xx make the span an error.
  if (status >= 500) {
    entry.span.setAttribute(ATTR_ERROR_TYPE, entry.error?.name ?? String(status));
    if (entry.error) recordFailure(entry.span, entry.error);
    else entry.span.setStatus({ code: SpanStatusCode.ERROR });
  }
  entry.span.end();
}

/**
 * One SERVER span per request, continuing the caller's trace when a valid `traceparent` comes in, named
 * `{METHOD} {route template}` (just `{METHOD}` when no route matched), and active for the rest of the request:
 * database spans nest under it and log lines carry its ids. `request.ctx.traceId` is its trace id, so audit events
 * written by the request name the same trace. Records http_server_request_duration_seconds for every response.
 *
 * No `traceparent` response header is sent: the W3C header describes an outgoing call, not an answer, and the
 * caller already has `x-request-id` (the summary log line names both ids).
 */
export function registerHttpTelemetry(app: FastifyInstance): void {
  ensureTracing();

  app.addHook('onRequest', (request, reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = routeTemplate(request);
    const method = methodLabel(request.method);
    const ua = request.headers['user-agent'];
    const span = getTracer().startSpan(
      route ? `${method} ${route}` : method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          ...(method === '_OTHER' ? { [ATTR_HTTP_REQUEST_METHOD_ORIGINAL]: request.method } : {}),
          ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
          [ATTR_URL_PATH]: request.url.split('?')[0] ?? '/',
          [ATTR_URL_SCHEME]: request.protocol,
          [ATTR_CLIENT_ADDRESS]: request.ip,
          [ATTR_NETWORK_PROTOCOL_VERSION]: request.raw.httpVersion,
          ...(typeof ua === 'string' ? { [ATTR_USER_AGENT_ORIGINAL]: ua.slice(0, USER_AGENT_MAX) } : {}),
          'bi.request.id': request.id,
        },
      },
      parent,
    );
    spans.set(request, { span, ended: false });
    const spanContext = span.spanContext();
    if (trace.isSpanContextValid(spanContext)) request.ctx.traceId = spanContext.traceId;
    const active = trace.setSpan(parent, span);
    reply.raw.once('close', () => endSpan(request, reply));
    // Everything after this hook (body parsing, the handler, its queries) runs inside the span's context.
    context.with(active, done);
  });

  app.addHook('onError', async (request, _reply, error) => {
    const entry = spans.get(request);
    if (entry) entry.error = error;
  });

  app.addHook('onResponse', async (request, reply) => {
    httpServerDuration.observe(
      {
        http_request_method: methodLabel(request.method),
        http_route: routeTemplate(request) ?? UNMATCHED_ROUTE,
        http_response_status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    endSpan(request, reply);
  });
}
