import type { FastifyReply, FastifyRequest } from 'fastify';
import { counter } from '../../observability/metrics.ts';

/**
 * SCIM operations as the identity provider sees them: one count per answered request under /scim/v2, labelled
 * from the route template and method (never the raw path), and the status class. Discovery endpoints and
 * unknown paths count as resource `other`.
 */
export const scimOperations = counter(
  'bi_scim_operations_total',
  'SCIM requests answered, by resource (User, Group, other), operation (list, get, create, replace, patch, ' +
    'delete, other) and outcome (success, client_error, server_error).',
);

export type ScimResource = 'User' | 'Group' | 'other';
export type ScimOperation = 'list' | 'get' | 'create' | 'replace' | 'patch' | 'delete' | 'other';
export type ScimOutcome = 'success' | 'client_error' | 'server_error';

const RESOURCE = /^\/scim\/v2\/(Users|Groups)(\/:id)?$/;
/** Method on the collection (/Users) or on one resource (/Users/:id) → the SCIM operation (RFC 7644 §3). */
const OPERATIONS: Record<string, ScimOperation> = {
  'GET collection': 'list',
  'GET one': 'get',
  'POST collection': 'create',
  'PUT one': 'replace',
  'PATCH one': 'patch',
  'DELETE one': 'delete',
};

/** The labels of one SCIM request: route template (undefined when no route matched), method and status. */
export function scimLabels(
  route: string | undefined,
  method: string,
  status: number,
): { resource: ScimResource; operation: ScimOperation; outcome: ScimOutcome } {
  const outcome: ScimOutcome = status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'success';
  const match = route ? RESOURCE.exec(route) : null;
  if (!match) return { resource: 'other', operation: 'other', outcome };
  const resource: ScimResource = match[1] === 'Users' ? 'User' : 'Group';
  const operation = OPERATIONS[`${method} ${match[2] ? 'one' : 'collection'}`] ?? 'other';
  return { resource, operation, outcome };
}

/** onResponse hook of the SCIM scope (scim.routes.ts): every answered request, routed or not. */
export async function countScimOperation(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  scimOperations.inc(scimLabels(request.routeOptions.url, request.method, reply.statusCode));
}
