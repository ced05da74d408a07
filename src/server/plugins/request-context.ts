import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** Honour an upstream request id (ingress) when it is well-formed; otherwise mint one. */
export function genReqId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Every request carries a RequestContext from its first hook: request id, client, trace id, actor (later). */
export function registerRequestContext(app: FastifyInstance) {
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('resolvedSession', null);
  app.decorateRequest('credentialProblem', null);
  app.addHook('onRequest', async (request, reply) => {
    const traceparent = request.headers.traceparent;
    const trace = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
    const ua = request.headers['user-agent'];
    request.ctx = {
      requestId: request.id,
      ip: request.ip,
      userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null,
      traceId: trace?.[1] ?? null,
      actor: null,
    };
    reply.header('x-request-id', request.id);
  });
}
