import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BugReport,
  BugReportCreate,
  BugReportListQuery,
  BugReportPage,
  BugReportReceipt,
  BugReportTriage,
} from '../../../contract/api/bug-reports.ts';
import { Uuid } from '../../../contract/api/common.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { Problem } from '../../../contract/problem.ts';
import { sendStoredBytes } from '../../http/binary.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import {
  type BugReportDeps,
  getScreenshot,
  listBugReports,
  submitBugReport,
  triageBugReport,
} from './bug-reports.service.ts';

// An app feature, not an API product: sessions only, never API tokens.
const session = { auth: 'session', kind: 'api' } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['bug-reports'];
const base = '/api/v1/bug-reports';
const byId = z.strictObject({ id: Uuid });
const noQuery = z.strictObject({});

/** The base64 of the largest screenshot plus generous room for the rest of the report. */
const SUBMIT_BODY_LIMIT = Math.ceil((LIMITS.bugScreenshotBytes * 4) / 3) + 256 * 1024;

export function bugReportRoutes(app: FastifyInstance, deps: BugReportDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    base,
    {
      bodyLimit: SUBMIT_BODY_LIMIT,
      config: { ...session, rateLimit: RATE.write },
      schema: {
        tags,
        summary:
          'Report a bug from the capture app (anyone signed in; idempotent on the client-generated id)',
        description:
          '201 when stored; 200 with the stored receipt when you already sent this id (a resend from the ' +
          'offline queue); 409 when the id belongs to someone else. The optional screenshot is base64 of a ' +
          `JPEG, PNG or WebP of at most ${LIMITS.bugScreenshotBytes} bytes whose bytes match its contentType; ` +
          'otherwise 400 naming body.screenshot.base64 and nothing is stored.',
        querystring: noQuery,
        body: BugReportCreate,
        response: { 200: BugReportReceipt, 201: BugReportReceipt, ...errors },
      },
    },
    async (request, reply) => {
      const { receipt, created } = await submitBugReport(deps, request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(receipt);
    },
  );

  r.get(
    base,
    {
      config: { ...session, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Bug reports, newest first, with the count of each status (admin)',
        querystring: BugReportListQuery,
        response: { 200: BugReportPage, ...errors },
      },
    },
    async (request) => listBugReports(deps, request.ctx, request.query),
  );

  r.get(
    `${base}/:id/screenshot`,
    {
      config: { ...session, rateLimit: RATE.read },
      schema: {
        tags,
        summary: "A bug report's screenshot as the stored image bytes (admin); 404 when it has none",
        description:
          'Served with its checked content type, Cache-Control: private, no-store, X-Content-Type-Options: ' +
          "nosniff and Content-Security-Policy: default-src 'none'; sandbox.",
        params: byId,
        querystring: noQuery,
        response: {
          200: z.string().describe('The image bytes (image/jpeg, image/png or image/webp)'),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const screenshot = await getScreenshot(deps, request.ctx, request.params.id);
      return sendStoredBytes(reply, { ...screenshot, filename: `bug-report-${request.params.id}` });
    },
  );

  r.patch(
    `${base}/:id`,
    {
      config: { ...session, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Triage a bug report: set its status and note (admin; audited)',
        description:
          'Leaving `note` out keeps the current note; null or an empty note clears it. Records who triaged ' +
          'and when.',
        params: byId,
        querystring: noQuery,
        body: BugReportTriage,
        response: { 200: BugReport, ...errors },
      },
    },
    async (request) => triageBugReport(deps, request.ctx, request.params.id, request.body),
  );
}
