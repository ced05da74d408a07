import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { FieldError, Problem } from '../../contract/problem.ts';
import { AppError, TooManyAttemptsError } from '../errors.ts';
import { escapeHtml, page } from '../http/html.ts';

/**
 * API routes answer application/problem+json; page routes (sign-in, landing) answer the same problem as a
 * readable page with a way forward, since a person, not a program, is looking at it.
 */
function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Omit<Problem, 'requestId'>) {
  if (request.routeOptions.config?.kind === 'page') {
    return reply
      .code(problem.status)
      .type('text/html; charset=utf-8')
      .send(
        page(
          problem.title,
          `<h1>${escapeHtml(problem.title)}</h1><p>${escapeHtml(problem.detail ?? '')}</p>
<p><a class="button" href="/">Back to Builder Insights</a></p>
<p class="muted">Reference: ${escapeHtml(request.id)}</p>`,
        ),
      );
  }
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: problem.instance ?? request.url.split('?')[0], requestId: request.id });
}

const titleFor = (status: number) =>
  ({
    400: 'Invalid request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not found',
    405: 'Method not allowed',
    406: 'Not acceptable',
    409: 'Conflict',
    413: 'Payload too large',
    415: 'Unsupported media type',
    429: 'Too many requests',
  })[status] ?? 'Request failed';

function typeFor(title: string) {
  return `https://builder-insights.dev/problems/${title.toLowerCase().replaceAll(' ', '-')}`;
}

/** Zod issues → one entry per offending field, named as a client would write it ("body.sentiment"). */
const CONTEXT_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

function fieldErrors(err: FastifyError): FieldError[] {
  const context = CONTEXT_NAMES[err.validationContext ?? ''] ?? 'request';
  const out: FieldError[] = [];
  for (const v of err.validation ?? []) {
    const path = v.instancePath.split('/').filter(Boolean).join('.');
    const base = path ? `${context}.${path}` : context;
    const keys = (v.params as { keys?: unknown }).keys;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      for (const key of keys) out.push({ field: `${base}.${String(key)}`, message: 'is not a known field' });
    } else {
      out.push({ field: base, message: v.message ?? 'is invalid' });
    }
  }
  return out;
}

/**
 * The one place errors become responses: application/problem+json with a readable title and detail, field
 * errors for validation, and never a stack trace, SQL text or internal message on a 5xx.
 */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = fieldErrors(err);
      return sendProblem(reply, request, {
        type: typeFor('Invalid request'),
        title: 'Invalid request',
        status: 400,
        detail: `Check ${errors.map((e) => e.field).join(', ')}.`,
        errors,
      });
    }
    if (err instanceof AppError) {
      if (err instanceof TooManyAttemptsError) reply.header('retry-after', String(err.retryAfterSeconds));
      return sendProblem(reply, request, {
        ...err.extensions,
        type: err.type,
        title: err.title,
        status: err.status,
        detail: err.message,
        ...(err.errors ? { errors: err.errors } : {}),
      });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause }, 'response did not match its schema');
    }
    if (isUnstorableText(err)) {
      // Validation refuses control characters first; this is the second line for any text that slipped by.
      request.log.warn({ code: sqlState(err) }, 'text the database cannot store reached it');
      return sendProblem(reply, request, {
        type: typeFor('Invalid request'),
        title: 'Invalid request',
        status: 400,
        detail: UNSTORABLE_TEXT_DETAIL,
      });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const detail = clientDetail(err, status);
      return sendProblem(reply, request, {
        type: typeFor(titleFor(status)),
        title: titleFor(status),
        status,
        detail,
      });
    }
    request.log.error({ err }, 'request failed');
    return sendProblem(reply, request, {
      type: typeFor('Internal error'),
      title: 'Internal error',
      status: 500,
      detail: `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
    });
  });

  app.setNotFoundHandler({ preHandler: app.rateLimit?.() }, (request, reply) =>
    sendProblem(reply, request, {
      type: typeFor('Not found'),
      title: 'Not found',
      status: 404,
      detail: `Nothing at ${request.method} ${request.url.split('?')[0]}.`,
    }),
  );
}

export const UNSTORABLE_TEXT_DETAIL =
  'The request holds text that cannot be stored (a NUL or another control character, or an invalid character). ' +
  'Remove it and send the request again.';

/** PostgreSQL's SQLSTATE of an error, or of the error it wraps (drizzle wraps the driver's). */
export function sqlState(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Text PostgreSQL refuses to store: 22021 character_not_in_repertoire (a NUL in text), 22P05
 * untranslatable_character (\u0000 in jsonb). The client's input, so a 400, never a 500.
 */
export function isUnstorableText(err: unknown): boolean {
  const code = sqlState(err);
  return code === '22021' || code === '22P05';
}

/**
 * Errors Fastify's router answers before any route runs (a path parameter longer than maxParamLength, a URL
 * that is not valid percent-encoding): as problem+json like every other answer, instead of Fastify's own JSON.
 * Wired as the `frameworkErrors` option of Fastify (app.ts).
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const title = status === 414 ? 'URI too long' : 'Invalid request';
  const detail =
    status === 414
      ? 'A path segment of the URL is longer than any identifier this API uses.'
      : 'The URL is not valid (check its percent-encoding).';
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: typeFor(title),
      title,
      status,
      detail,
      instance: request.url.split('?')[0],
      requestId: request.id,
    });
}

function clientDetail(err: FastifyError, status: number): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than the server accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send JSON with Content-Type: application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; send a JSON object.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON.';
  }
  if (err instanceof SyntaxError) return 'The request body is not valid JSON.';
  if (status === 429) return `Too many requests: ${err.message.replace(/^Rate limit exceeded, /, '')}.`;
  return titleFor(status);
}
