import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuditExportQuery,
  AuditIntegrity,
  AuditVerifyResult,
} from '../../../contract/api/audit-integrity.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { ADMIN_ONLY } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { appVersion } from '../../runtime.ts';
import { FileBytes } from '../attachments/media.body.ts';
import type { AuditExport } from './audit.export.ts';
import { exportForAdmin, integrityStatus, keysOf, verifyNow } from './audit-integrity.service.ts';

// Admin pages in a signed-in session: API tokens never read or export the audit log.
const session = { auth: 'session', kind: 'api' } as const;
/** A full verification reads the whole log: a few per minute is plenty. */
export const AUDIT_VERIFY_RATE = { max: 6, timeWindow: 60_000 } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem };
const tags = ['audit'];
const noQuery = z.strictObject({});

/** A download: never cached or sniffed, saved under its name; lines stream as the pages are read. */
function sendLines(reply: FastifyReply, file: AuditExport & { filename: string }) {
  return reply
    .code(200)
    .type('application/x-ndjson; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('x-audit-event-count', String(file.count))
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .send(Readable.from(file.lines));
}

export function auditIntegrityRoutes(
  app: FastifyInstance,
  deps: { db: Db; now: () => Date; config: Config },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = { ...deps, version: appVersion() };
  // A configured key that cannot be used stops the start-up here, naming the variable, not at the first checkpoint.
  if (deps.config.audit.signingKey || Object.keys(deps.config.audit.verifyKeys).length > 0)
    keysOf(deps.config);

  r.get(
    '/api/v1/audit/integrity',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary:
          "The audit log's integrity: latest verification, head, last signed checkpoint, signing key id, archives",
        description: 'Admins. Reading it is not audited (it shows no event content).',
        querystring: noQuery,
        response: { 200: AuditIntegrity, ...errors },
      },
    },
    async (request) => integrityStatus(service, request.ctx),
  );

  r.post(
    '/api/v1/audit/verify',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: AUDIT_VERIFY_RATE },
      schema: {
        tags,
        summary: 'Verify the audit chain and its signed checkpoints now (admins; recorded and audited)',
        description:
          'Walks every event (hashes and links), checks every checkpoint (signature, its own chain, the signed ' +
          'event still has the signed hash, none past the head) and the archive manifests. 200 with the run: ' +
          '`ok` false names the first bad sequence number and the kind. Audited `audit.verified`.',
        querystring: noQuery,
        body: z.strictObject({}),
        response: { 200: AuditVerifyResult, ...errors },
      },
    },
    async (request) => verifyNow(service, request.ctx),
  );

  r.get(
    '/api/v1/audit/export',
    {
      // A HEAD must not record and throw away an export.
      exposeHeadRoute: false,
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.export },
      schema: {
        tags,
        summary: 'The audit log as OCSF JSON Lines (admins; streamed; audited before the first byte)',
        description:
          'One OCSF 1.3 object per line, in sequence order, for events in [from, to) up to the head when the ' +
          'export starts (classes and fields: docs/operations/audit.md). Pruned events are in the archive ' +
          'files, not here. Audited `audit.exported` with the range and the count.',
        querystring: AuditExportQuery,
        response: {
          200: {
            description: 'JSON Lines: one OCSF event per line',
            content: { 'application/x-ndjson': { schema: FileBytes } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => sendLines(reply, await exportForAdmin(service, request.ctx, request.query)),
  );
}
