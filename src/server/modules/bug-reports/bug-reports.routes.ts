import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BugAssigneeList,
  BugReport,
  BugReportConflict,
  BugReportCreate,
  BugReportListQuery,
  BugReportNote,
  BugReportNoteCreate,
  BugReportNoteList,
  BugReportPage,
  BugReportReceipt,
  BugReportUpdate,
} from '../../../contract/api/bug-reports.ts';
import { Uuid } from '../../../contract/api/common.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { Problem } from '../../../contract/problem.ts';
import { sendStoredBytes } from '../../http/binary.ts';
import { ADMIN_ONLY, ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { idOrNull, syncItemHook } from '../insights/sync.metrics.ts';
import { type BugReportDeps, getScreenshot, listBugReports, submitBugReport } from './bug-reports.service.ts';
import { addNote, listAssignees, listNotes, updateBugReport } from './bug-reports.triage.ts';

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
      config: { ...session, access: { roles: ANY_ROLE }, rateLimit: RATE.write },
      onResponse: syncItemHook('bug_report', (request) => ({
        itemId: idOrNull((request.body as { id?: unknown } | undefined)?.id),
      })),
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
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
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
      config: { ...session, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.read },
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

  r.get(
    `${base}/assignees`,
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Who a bug report can be assigned to: the active admins (admin)',
        querystring: noQuery,
        response: { 200: BugAssigneeList, ...errors },
      },
    },
    async (request) => listAssignees(deps, request.ctx),
  );

  r.patch(
    `${base}/:id`,
    {
      config: { ...session, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Triage a bug report: status, priority, assignee (admin; audited)',
        description:
          'Send the `version` you loaded and at least one of status, priority (null clears it), assigneeId (an ' +
          'active admin; null unassigns). A stale version is a 409 whose `current` member is the report as it ' +
          'is now; an assignee who is not an active admin is a 400 naming assigneeId. A status change is audited ' +
          'as bug_report.triaged, a priority or assignee change as bug_report.updated.',
        params: byId,
        querystring: noQuery,
        body: BugReportUpdate,
        response: { 200: BugReport, ...errors, 409: BugReportConflict },
      },
    },
    async (request) => updateBugReport(deps, request.ctx, request.params.id, request.body),
  );

  r.get(
    `${base}/:id/notes`,
    {
      config: { ...session, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'The triage thread of a bug report, oldest first (admin)',
        params: byId,
        querystring: noQuery,
        response: { 200: BugReportNoteList, ...errors },
      },
    },
    async (request) => listNotes(deps, request.ctx, request.params.id),
  );

  r.post(
    `${base}/:id/notes`,
    {
      config: { ...session, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Add a note to the triage thread (admin; audited as bug_report.note_added)',
        params: byId,
        querystring: noQuery,
        body: BugReportNoteCreate,
        response: { 201: BugReportNote, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addNote(deps, request.ctx, request.params.id, request.body)),
  );
}
