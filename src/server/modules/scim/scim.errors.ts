import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { URN } from './scim.schemas.ts';

/** RFC 7644 §3.12 error types. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** An error a SCIM handler throws: answered as the SCIM Error schema with its status and scimType. */
export class ScimHttpError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  constructor(status: number, detail: string, scimType?: ScimType) {
    super(detail);
    this.status = status;
    this.scimType = scimType;
  }
}

export const scimNotFound = (what: 'User' | 'Group' | 'Schema' | 'ResourceType', id: string) =>
  new ScimHttpError(404, `${what} ${JSON.stringify(id.slice(0, 100))} not found.`);

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export function sendScimError(reply: FastifyReply, status: number, detail: string, scimType?: string) {
  return reply
    .code(status)
    .type(SCIM_CONTENT_TYPE)
    .send({ schemas: [URN.error], status: String(status), ...(scimType ? { scimType } : {}), detail });
}

const CONTEXT_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path' };

/** Zod issues as one readable sentence naming each field ("body.emails.0.value: must be an e-mail address"). */
function validationDetail(err: FastifyError): string {
  const context = CONTEXT_NAMES[err.validationContext ?? ''] ?? 'request';
  const parts = (err.validation ?? []).slice(0, 10).map((v) => {
    const path = v.instancePath.split('/').filter(Boolean).join('.');
    return `${path ? `${context}.${path}` : context}: ${v.message ?? 'is invalid'}`;
  });
  return `Invalid request. ${parts.join('; ')}.`;
}

function clientDetail(err: FastifyError, status: number): { detail: string; scimType?: ScimType } {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { detail: 'The request body is larger than the server accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { detail: 'Send JSON with Content-Type: application/scim+json (or application/json).' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { detail: 'The request body is empty; send a JSON object.', scimType: 'invalidSyntax' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { detail: 'The request body is not valid JSON.', scimType: 'invalidSyntax' };
  }
  if (err instanceof SyntaxError)
    return { detail: 'The request body is not valid JSON.', scimType: 'invalidSyntax' };
  if (status === 429)
    return { detail: `Too many requests: ${err.message.replace(/^Rate limit exceeded, /, '')}.` };
  return { detail: `The request failed (${status}).` };
}

/**
 * Every error under /scim/v2 answers application/scim+json in the SCIM Error schema (never problem+json, never a
 * stack trace or SQL): validation, authentication, unknown resources, conflicts, limits and our own failures.
 */
export function registerScimErrors(scoped: FastifyInstance) {
  scoped.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ScimHttpError) return sendScimError(reply, err.status, err.message, err.scimType);
    if (hasZodFastifySchemaValidationErrors(err)) {
      return sendScimError(reply, 400, validationDetail(err), 'invalidValue');
    }
    if (err instanceof AppError) {
      const fields = err.errors?.map((f) => `${f.field}: ${f.message}`).join('; ');
      const detail = fields ? `${err.message} (${fields})` : err.message;
      const scimType = err.status === 400 ? 'invalidValue' : err.status === 409 ? 'uniqueness' : undefined;
      return sendScimError(reply, err.status, detail, scimType);
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause }, 'SCIM response did not match its schema');
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const { detail, scimType } = clientDetail(err, status);
      return sendScimError(reply, status, detail, scimType);
    }
    request.log.error({ err }, 'SCIM request failed');
    return sendScimError(
      reply,
      500,
      `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
    );
  });
}

/** A unique-index violation (a concurrent write won the race): 409 uniqueness instead of a 500. */
export function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth += 1) {
    if ((e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
