import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Honour an upstream request id (ingress) when it is well-formed; otherwise mint one. */
export function genReqId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Every request carries a RequestContext from its first hook: request id, client, trace id and actor (both set
 * later: the trace id by observability/http.ts from the request's span, which continues an incoming
 * `traceparent`; the actor by the actor plugin).
 */
export function registerRequestContext(app: FastifyInstance) {
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('resolvedSession', null);
  app.decorateRequest('credentialProblem', null);
  app.addHook('onRequest', async (request, reply) => {
    const ua = request.headers['user-agent'];
    request.ctx = {
      requestId: request.id,
      ip: request.ip,
      userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null,
      traceId: null,
      actor: null,
    };
    reply.header('x-request-id', request.id);
  });
}
