import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuditCatalog,
  AuditEventPage,
  AuditEventQuery,
  AuditPersonHistory,
  AuditPersonParams,
  AuditPersonQuery,
} from '../../../contract/api/audit.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ADMIN_ONLY } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { requireActor } from '../../plugins/types.ts';
import { describeCatalog } from './audit.describe.ts';
import { personHistory } from './audit.history.ts';
import { authorizeAuditRead } from './audit.policy.ts';
import { searchAudit } from './audit.search.ts';

const read = { auth: 'session', kind: 'api', rateLimit: RATE.read } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const tags = ['audit'];
const ADMINS =
  'Admins only, by session; other roles answer 403 (recorded as access.denied). Reading is not audited.';

/** Reading the audit log: search, the catalog, a person's access history. Integrity and export: H3's routes. */
export function auditRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/audit/events',
    {
      config: { ...read, access: { roles: ADMIN_ONLY } },
      schema: {
        tags,
        summary:
          'Search the audit log: by actor, target, action or family, outcome, time, break-glass (admin)',
        description:
          `${ADMINS} Newest first; keyset pages on seq (nextCursor continues the same filters only). ` +
          'action is an exact action or a prefix ending in a dot (auth., access.exception.); targetId needs ' +
          'targetType; from is inclusive, to exclusive.',
        querystring: AuditEventQuery,
        response: { 200: AuditEventPage, ...errors },
      },
    },
    async (request) => searchAudit(deps, request.ctx, request.query),
  );

  r.get(
    '/api/v1/audit/catalog',
    {
      config: { ...read, access: { roles: ADMIN_ONLY } },
      schema: {
        tags,
        summary: 'Every audited action: family, target type, description and detail fields (admin)',
        description: ADMINS,
        querystring: z.strictObject({}),
        response: { 200: AuditCatalog, ...errors },
      },
    },
    async (request) => {
      authorizeAuditRead(requireActor(request.ctx), 'catalog');
      return describeCatalog();
    },
  );

  r.get(
    '/api/v1/audit/people/:id',
    {
      config: { ...read, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: "A person's access history: what they did, what was done to them, and a summary (admin)",
        description:
          `${ADMINS} Events where the person is the actor, the target (or owns the target API token), or the ` +
          'subject named in the details (exceptions, review decisions, sessions ended, SCIM groups), and ' +
          'sign-in failures carrying their IdP subject. kind=access (default) keeps the access families; ' +
          'kind=all keeps everything. 404 for an unknown person.',
        params: AuditPersonParams,
        querystring: AuditPersonQuery,
        response: { 200: AuditPersonHistory, ...errors },
      },
    },
    async (request) => personHistory(deps, request.ctx, request.params.id, request.query),
  );
}
