import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  ImportAliasList,
  ImportApply,
  ImportHistory,
  ImportHistoryQuery,
  ImportIdParams,
  ImportMappingUpdate,
  ImportPreview,
  ImportPreviewQuery,
  ImportUpload,
} from '../../../contract/api/imports.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ADMIN_ONLY, MANAGER_UP } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import {
  applyImport,
  deleteAlias,
  getImport,
  listAliases,
  listImports,
  remapImport,
  uploadImport,
} from './imports.service.ts';

const read = { auth: 'session', kind: 'api', rateLimit: RATE.read } as const;
const write = { auth: 'session', kind: 'api', rateLimit: RATE.write } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['event-imports'];
const base = '/api/v1/event-imports';
const noQuery = z.strictObject({});
/** The file may be up to LIMITS.importBytes; JSON quoting adds a little (the global limit is 1 MiB). */
const UPLOAD_BODY_LIMIT = 6 * 1024 * 1024;
const WHO =
  'Managers and admins. An import is visible to the person who made it and to admins (others: 404).';

/** PMO spreadsheet import: upload → preview → re-map → apply (background, with progress) → learned aliases. */
export function importRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = { ...deps, log: app.log };

  r.post(
    base,
    {
      bodyLimit: UPLOAD_BODY_LIMIT,
      config: { ...write, access: { roles: MANAGER_UP } },
      schema: {
        tags,
        summary: 'Upload a PMO spreadsheet (CSV) and preview what importing it would do',
        description:
          `${WHO} Nothing changes yet: the file and the proposed mapping (learned aliases, exact and fuzzy ` +
          `header matches; \`mapping\` overrides) are stored for preview and apply. At most ` +
          `${LIMITS.importRows} rows and ${LIMITS.importColumns} columns; a bad file is a 400 naming body.csv.`,
        querystring: noQuery,
        body: ImportUpload,
        response: { 201: ImportPreview, 413: Problem, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await uploadImport(service, request.ctx, request.body)),
  );

  r.get(
    base,
    {
      config: { ...read, access: { roles: MANAGER_UP } },
      schema: {
        tags,
        summary: 'Import history, newest first (yours; admins see everyone’s)',
        querystring: ImportHistoryQuery,
        response: { 200: ImportHistory, ...errors },
      },
    },
    async (request) => listImports(service, request.ctx, request.query),
  );

  r.get(
    `${base}/:id`,
    {
      config: { ...read, access: { roles: MANAGER_UP, record: 'import' } },
      schema: {
        tags,
        summary: 'An import: status, progress, mapping, counts and one page of row previews',
        description:
          `${WHO} Rows are planned afresh against the events as they are now while the import is previewed ` +
          'or failed; while applying, poll processedRows (no rows); once applied, the file is gone and the ' +
          'counts are what apply did.',
        params: ImportIdParams,
        querystring: ImportPreviewQuery,
        response: { 200: ImportPreview, ...errors },
      },
    },
    async (request) => getImport(service, request.ctx, request.params.id, request.query),
  );

  r.put(
    `${base}/:id/mapping`,
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'import' } },
      schema: {
        tags,
        summary: 'Change the column mapping and preview again (only while previewed)',
        description:
          'The headers named take the fields given (null ignores the column); a column whose field one of ' +
          'them took becomes unmapped; the others keep theirs. 409 once applying or applied.',
        params: ImportIdParams,
        querystring: noQuery,
        body: ImportMappingUpdate,
        response: { 200: ImportPreview, ...errors },
      },
    },
    async (request) => remapImport(service, request.ctx, request.params.id, request.body.mapping),
  );

  r.post(
    `${base}/:id/apply`,
    {
      config: { ...write, access: { roles: MANAGER_UP, record: 'import' } },
      schema: {
        tags,
        summary: 'Apply an import: 202 at once, rows are written in the background (poll GET for progress)',
        description:
          'Idempotent: rows are matched on event name + start date, so applying the same file again changes ' +
          'nothing. A failed import, or one whose worker stopped for 2 minutes, resumes where it stopped. ' +
          '409 when applied already, being applied, or a required field (name, start date) is not mapped.',
        params: ImportIdParams,
        querystring: noQuery,
        body: ImportApply,
        response: { 202: ImportPreview, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await applyImport(service, request.ctx, request.params.id, request.body)),
  );

  r.get(
    '/api/v1/import-aliases',
    {
      config: { ...read, access: { roles: MANAGER_UP } },
      schema: {
        tags,
        summary: 'Learned column aliases (header spellings confirmed in earlier imports)',
        querystring: noQuery,
        response: { 200: ImportAliasList, ...errors },
      },
    },
    async (request) => listAliases(service, request.ctx),
  );

  r.delete(
    '/api/v1/import-aliases/:id',
    {
      config: { ...write, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: 'Forget a learned column alias (admins; audited)',
        params: z.strictObject({ id: Uuid }),
        querystring: noQuery,
        body: z.strictObject({}).nullish(),
        response: { 204: z.null().describe('Forgotten'), ...errors },
      },
    },
    async (request, reply) => {
      await deleteAlias(service, request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
