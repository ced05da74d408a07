import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InsightFilter } from '../../../contract/api/insights.ts';
import { ReportQuery } from '../../../contract/api/reporting.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { Problem } from '../../../contract/problem.ts';
import { ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { FileBytes } from '../attachments/media.body.ts';
import { type ExecutiveExportDeps, exportExecutive } from './exports.executive.ts';
import { exportInsightsCsv, type FileExport } from './exports.service.ts';

/**
 * Files: every export is a read within the caller's scope, streamed, audited (`report.exported`) before the
 * first byte. Rate-limited by the export budget (RATE.export): each one reads a lot.
 */
const fileConfig = (tokenScope: 'insights:read' | 'reporting:read') =>
  ({ auth: 'session_or_token', tokenScope, kind: 'api', rateLimit: RATE.export }) as const;
const errors = { 400: Problem, 401: Problem, 403: Problem };

/** The file answer, declared per media type for the OpenAPI document (the body is the file, not JSON). */
const fileResponse = (contentType: string, description: string) => ({
  description,
  content: { [contentType]: { schema: FileBytes } },
});

/** A download: never cached, never sniffed, saved under its name; the body streams as it is produced. */
function sendFile(reply: FastifyReply, file: FileExport) {
  return reply
    .code(200)
    .type(file.contentType)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`)
    .send(file.stream);
}

export function exportRoutes(app: FastifyInstance, deps: ExecutiveExportDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/exports/insights.csv',
    {
      // A HEAD (link previews, prefetchers) must not run, record and throw away an export.
      exposeHeadRoute: false,
      config: { ...fileConfig('insights:read'), access: { roles: ANY_ROLE } },
      schema: {
        tags: ['reporting'],
        summary: 'Every insight in your scope matching the filter, as CSV (streamed, newest first)',
        description:
          'The same filter as the insight list (no cursor, no limit: the file holds every match), merged ' +
          'duplicates excluded, so its rows and totals equal the dashboard’s for the same filter and dates. ' +
          'UTF-8 with a byte order mark, a header row, CRLF line ends; text cells that a spreadsheet could ' +
          'run as a formula start with a single quote. Read from one consistent snapshot. More than ' +
          `${LIMITS.exportRowsMax.toLocaleString('en-US')} matches: 400, narrow the filter. Audited.`,
        querystring: InsightFilter,
        response: {
          200: fileResponse('text/csv', 'The CSV file: id, captured_at, type, … (docs/reporting.md)'),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      sendFile(reply, await exportInsightsCsv(deps, request.ctx, request.query, request.log)),
  );

  for (const format of ['pdf', 'csv'] as const) {
    r.get(
      `/api/v1/reports/executive.${format}`,
      {
        exposeHeadRoute: false,
        config: { ...fileConfig('reporting:read'), access: { roles: ANY_ROLE } },
        schema: {
          tags: ['reporting'],
          summary:
            format === 'pdf'
              ? 'The executive report as a PDF (metric cards, narrative, themes with quotes, critical items, distributions)'
              : 'The executive report as CSV: one row per fact (section, key, label, value, previous, change)',
          description:
            'Takes the same query as GET /api/v1/reports/executive and renders exactly that report. Audited.',
          querystring: ReportQuery,
          response: {
            200: fileResponse(
              format === 'pdf' ? 'application/pdf' : 'text/csv',
              `The executive report (${format.toUpperCase()})`,
            ),
            ...errors,
          },
        },
      },
      async (request, reply) =>
        sendFile(reply, await exportExecutive(deps, request.ctx, request.query, format, request.log)),
    );
  }
}
