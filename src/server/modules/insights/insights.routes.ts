import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  FollowUpUpdate,
  Insight,
  InsightBatch,
  InsightBatchResult,
  InsightBulkResult,
  InsightBulkUpdate,
  InsightCreate,
  InsightEditConflict,
  InsightListQuery,
  InsightPage,
  InsightUpdate,
} from '../../../contract/api/insights.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADVOCATE_UP, ANY_ROLE, MANAGER_UP } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { bulkUpdateInsights } from './insights.bulk.ts';
import { setFollowUp } from './insights.follow-up.ts';
import { listInsights } from './insights.list.ts';
import { createInsight, getInsight, type InsightDeps, syncInsights } from './insights.service.ts';
import { updateInsight } from './insights.update.ts';
import { idOrNull, recordSyncBatch, syncItemHook } from './sync.metrics.ts';

const session = { auth: 'session_or_token', kind: 'api' } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function insightRoutes(app: FastifyInstance, deps: InsightDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/insights',
    {
      config: {
        ...session,
        access: { roles: ADVOCATE_UP },
        tokenScope: 'insights:write',
        rateLimit: RATE.write,
      },
      schema: {
        tags: ['insights'],
        summary: 'Capture an insight (idempotent on the client-generated id)',
        description: '201 when created; 200 with the stored insight when this id was already saved by you.',
        body: InsightCreate,
        response: { 200: Insight, 201: Insight, ...errors },
      },
    },
    async (request, reply) => {
      const { insight, created } = await createInsight(deps, request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(insight);
    },
  );

  r.post(
    '/api/v1/insights/batch',
    {
      config: {
        ...session,
        access: { roles: ADVOCATE_UP },
        tokenScope: 'insights:write',
        rateLimit: RATE.write,
      },
      schema: {
        tags: ['insights'],
        summary: 'Sync offline captures: up to 100 insights, one result per item, exactly once',
        description:
          'Each item is validated on its own, so one bad item never loses the others; the good ones are saved ' +
          'together (one transaction, each new insight with its audit event). Per item: created; duplicate ' +
          '(you already saved this id: resending a batch after a dropped connection is safe); conflict (the id ' +
          'belongs to someone else); rejected (problem.errors names fields as items[3].capturedAt). 403 for the ' +
          'whole request when your role cannot capture.',
        querystring: z.strictObject({}),
        body: InsightBatch,
        response: { 200: InsightBatchResult, ...errors },
      },
    },
    async (request) => {
      const started = performance.now();
      const answer = await syncInsights(deps, request.ctx, request.body.items);
      recordSyncBatch(request, 'insight', answer.results, performance.now() - started);
      return answer;
    },
  );

  r.patch(
    '/api/v1/insights/:id',
    {
      config: {
        ...session,
        access: { roles: ADVOCATE_UP, record: 'insight' },
        tokenScope: 'insights:write',
        rateLimit: RATE.write,
      },
      schema: {
        tags: ['insights'],
        summary: 'Edit an insight (author, or a manager in scope), from the version the edit started at',
        description:
          '409 when the insight changed since `version`: the problem carries `current` (the stored insight) so ' +
          'the client can keep its edit, take theirs or merge, and resend with current.version.',
        params: z.strictObject({ id: Uuid }),
        querystring: z.strictObject({}),
        body: InsightUpdate,
        response: { 200: Insight, ...errors, 409: InsightEditConflict },
      },
      onResponse: syncItemHook('edit', (request) => ({
        itemId: idOrNull((request.params as { id?: unknown }).id),
      })),
    },
    async (request) => updateInsight(deps, request.ctx, request.params.id, request.body),
  );

  r.post(
    '/api/v1/insights/bulk',
    {
      config: {
        ...session,
        access: { roles: MANAGER_UP },
        tokenScope: 'insights:write',
        rateLimit: RATE.write,
      },
      schema: {
        tags: ['insights'],
        summary: 'Retag or reclassify insights in bulk (managers and admins, within scope), all or nothing',
        description:
          'Every id must be in your scope, else 404 whose errors name body.ids[i] and nothing is written. Tags ' +
          'and product areas are added and removed case-insensitively; each insight that changes gets a new ' +
          'version and an insight.updated audit event with the bulkId; insights that already match are listed ' +
          'in `unchanged` and not rewritten. 400 naming body.addTags (or body.addProductAreas) when an insight ' +
          'would exceed its bound. 403 for advocates and viewers.',
        querystring: z.strictObject({}),
        body: InsightBulkUpdate,
        response: { 200: InsightBulkResult, ...errors },
      },
    },
    async (request) => bulkUpdateInsights(deps, request.ctx, request.body),
  );

  r.put(
    '/api/v1/insights/:id/follow-up',
    {
      config: {
        ...session,
        access: { roles: ADVOCATE_UP, record: 'insight' },
        tokenScope: 'insights:write',
        rateLimit: RATE.write,
      },
      schema: {
        tags: ['insights'],
        summary: 'Set the follow-up workflow of an insight: status, owner, linked Jira/GitHub issue',
        description:
          'Who may: the author, or a manager/admin in scope. A status flags the insight for follow-up (owner ' +
          'and issue are kept unless sent); status null un-flags it and clears owner and issue. The owner must ' +
          'be an active person (400 naming body.ownerId). 409 with `current` when the insight changed since ' +
          '`version`, as for PATCH.',
        params: z.strictObject({ id: Uuid }),
        querystring: z.strictObject({}),
        body: FollowUpUpdate,
        response: { 200: Insight, ...errors, 409: InsightEditConflict },
      },
    },
    async (request) => setFollowUp(deps, request.ctx, request.params.id, request.body),
  );

  r.get(
    '/api/v1/insights',
    {
      config: {
        ...session,
        access: { roles: ANY_ROLE },
        tokenScope: 'insights:read',
        rateLimit: RATE.search,
      },
      schema: {
        tags: ['insights'],
        summary: 'Insights in your scope: the insight filter, full-text search, three sorts, cursor pages',
        description:
          'Merged duplicates are left out (they count once, as their primary). Sort: relevance (default with ' +
          'q; 400 naming query.sort without q), newest (default without q), oldest. With q each item has ' +
          '`rank` and a `snippet` (text segments, matches marked; never HTML). Pages are keyset-paginated: ' +
          'follow nextCursor until it is null; a cursor only continues the sort and filters it came from ' +
          '(400 naming query.cursor otherwise).',
        querystring: InsightListQuery,
        response: { 200: InsightPage, ...errors },
      },
    },
    async (request) => listInsights(deps, request.ctx, request.query),
  );

  r.get(
    '/api/v1/insights/:id',
    {
      config: {
        ...session,
        access: { roles: ANY_ROLE, record: 'insight' },
        tokenScope: 'insights:read',
        rateLimit: RATE.read,
      },
      schema: {
        tags: ['insights'],
        summary: 'One insight; 404 when it does not exist or is outside your scope',
        description:
          'Also answers a merged duplicate (mergedInto set), so a primary can show what was merged into it.',
        params: z.strictObject({ id: Uuid }),
        querystring: z.strictObject({}),
        response: { 200: Insight, ...errors },
      },
    },
    async (request) => getInsight(deps, request.ctx, request.params.id),
  );
}
