import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccessReviewCampaign,
  AccessReviewCampaignPage,
  AccessReviewClose,
  AccessReviewCreate,
  AccessReviewDecision,
  AccessReviewInboxQuery,
  AccessReviewItem,
  AccessReviewItemPage,
  AccessReviewItemsQuery,
  AccessReviewListQuery,
  RemovalRequest,
  RemovalRequestPage,
  RemovalRequestQuery,
  RemovalResolve,
} from '../../../contract/api/access-reviews.ts';
import { Uuid } from '../../../contract/api/common.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY, ANY_ROLE } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { campaignReport, closeCampaign, type ReportDownload } from './access-reviews.close.ts';
import { decideItem } from './access-reviews.decide.ts';
import { listRemovalRequests, resolveRemovalRequest } from './access-reviews.removals.ts';
import {
  type AccessReviewDeps,
  createCampaign,
  getCampaign,
  inbox,
  listCampaigns,
  listItems,
} from './access-reviews.service.ts';

const session = { auth: 'session', kind: 'api' } as const;
const privileged = { ...session, privileged: true } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['access-reviews'];
const byId = z.strictObject({ id: Uuid });
const noQuery = z.strictObject({});
const base = '/api/v1/access-reviews';

/** The exact report bytes, with their SHA-256 (hex) in X-Content-SHA256 to compare with the audit event. */
function sendReport(reply: FastifyReply, report: ReportDownload, type: string) {
  return reply
    .type(type)
    .header('x-content-sha256', report.sha256)
    .header('content-disposition', `attachment; filename="${report.filename}"`)
    .header('cache-control', 'no-store')
    .send(report.bytes);
}

export function accessReviewRoutes(app: FastifyInstance, deps: AccessReviewDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    base,
    {
      config: { ...privileged, access: { roles: ADMIN_ONLY, sso: true }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Start an access review campaign (admin; audited; needs a recent MFA sign-in)',
        description:
          'Computes the population and every entitlement of each person (one item per person × entitlement × ' +
          "source) and assigns each person's items to their manager, or an admin when they have none — never " +
          'to the person themselves.',
        querystring: noQuery,
        body: AccessReviewCreate,
        response: { 201: AccessReviewCampaign, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createCampaign(deps, request.ctx, request.body)),
  );

  r.get(
    base,
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Access review campaigns with their progress, newest first (admin)',
        querystring: AccessReviewListQuery,
        response: { 200: AccessReviewCampaignPage, ...errors },
      },
    },
    async (request) => listCampaigns(deps, request.ctx, request.query),
  );

  r.get(
    `${base}/inbox`,
    {
      config: { ...session, access: { roles: ANY_ROLE }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Your undecided review items across open campaigns, the campaign due soonest first',
        querystring: AccessReviewInboxQuery,
        response: { 200: AccessReviewItemPage, ...errors },
      },
    },
    async (request) => inbox(deps, request.ctx, request.query),
  );

  r.get(
    `${base}/:id`,
    {
      config: { ...session, access: { roles: ANY_ROLE, record: 'review' }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'One campaign (admins; a reviewer sees it with progress over their own items)',
        params: byId,
        querystring: noQuery,
        response: { 200: AccessReviewCampaign, ...errors },
      },
    },
    async (request) => getCampaign(deps, request.ctx, request.params.id),
  );

  r.get(
    `${base}/:id/items`,
    {
      config: { ...session, access: { roles: ANY_ROLE, record: 'review' }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: "A campaign's items by subject (admins: all, filterable by reviewer; a reviewer: their own)",
        params: byId,
        querystring: AccessReviewItemsQuery,
        response: { 200: AccessReviewItemPage, ...errors },
      },
    },
    async (request) => listItems(deps, request.ctx, request.params.id, request.query),
  );

  r.post(
    `${base}/items/:id/decision`,
    {
      config: { ...session, access: { roles: ANY_ROLE, sso: true, record: 'review' }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Keep or revoke one entitlement (its reviewer, or an admin who is not the subject; audited)',
        description:
          'Revoking an exception revokes it at once; revoking access that comes from an IdP group or the org ' +
          'record opens a removal request for whoever administers that system. Decisions are final.',
        params: byId,
        querystring: noQuery,
        body: AccessReviewDecision,
        response: { 200: AccessReviewItem, ...errors },
      },
    },
    async (request) => decideItem(deps, request.ctx, request.params.id, request.body),
  );

  r.post(
    `${base}/:id/close`,
    {
      config: {
        ...privileged,
        access: { roles: ADMIN_ONLY, sso: true, record: 'shared' },
        rateLimit: RATE.write,
      },
      schema: {
        tags,
        summary: 'Close a campaign and seal its report (admin; audited; needs a recent MFA sign-in)',
        description:
          'Allowed when every item is decided, or with force and a note (undecided items stay undecided in the ' +
          'report). The SHA-256 of the JSON and CSV reports is recorded in the access.review.closed audit event.',
        params: byId,
        querystring: noQuery,
        body: AccessReviewClose,
        response: { 200: AccessReviewCampaign, ...errors },
      },
    },
    async (request) => closeCampaign(deps, request.ctx, request.params.id, request.body),
  );

  for (const [format, type] of [
    ['json', 'application/json; charset=utf-8'],
    ['csv', 'text/csv; charset=utf-8'],
  ] as const) {
    r.get(
      `${base}/:id/report.${format}`,
      {
        config: { ...session, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.export },
        schema: {
          tags,
          summary: `The closed campaign's report as ${format === 'json' ? 'canonical JSON (RFC 8785)' : 'CSV (RFC 4180)'} (admin)`,
          description:
            'Exactly the bytes whose SHA-256 the access.review.closed audit event records; the hex digest is in ' +
            'the X-Content-SHA256 header. 409 while the campaign is open.' +
            (format === 'csv'
              ? ' Cells a spreadsheet would run as a formula (= + - @ tab CR) start with a single quote.'
              : ''),
          params: byId,
          querystring: noQuery,
          response: { 200: z.string().describe(`The ${format.toUpperCase()} report`), ...errors },
        },
      },
      async (request, reply) =>
        sendReport(reply, await campaignReport(deps, request.ctx, request.params.id, format), type),
    );
  }

  r.get(
    `${base}/removal-requests`,
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Removal requests from revoked reviews, newest first (admin)',
        querystring: RemovalRequestQuery,
        response: { 200: RemovalRequestPage, ...errors },
      },
    },
    async (request) => listRemovalRequests(deps, request.ctx, request.query),
  );

  r.post(
    `${base}/removal-requests/:id/resolve`,
    {
      config: {
        ...privileged,
        access: { roles: ADMIN_ONLY, sso: true, record: 'shared' },
        rateLimit: RATE.write,
      },
      schema: {
        tags,
        summary:
          'Mark a removal request done once the change is made at the IdP or HR system (admin; audited)',
        params: byId,
        querystring: noQuery,
        body: RemovalResolve,
        response: { 200: RemovalRequest, ...errors },
      },
    },
    async (request) => resolveRemovalRequest(deps, request.ctx, request.params.id, request.body),
  );
}
