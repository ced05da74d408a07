import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  HR_FEED_LIMITS,
  OrgImport,
  OrgImportApply,
  OrgImportCreate,
  OrgImportListQuery,
  OrgImportPage,
} from '../../../contract/api/directory.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { requireActor } from '../../plugins/types.ts';
import { authorizeDirectory } from './directory.policy.ts';
import {
  applyImport,
  type DirectoryDeps,
  discardImport,
  getImport,
  listImports,
  previewImport,
} from './hr-feed.service.ts';

const session = { auth: 'session', kind: 'api' } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem };
const tags = ['org'];
const byId = z.strictObject({ id: Uuid });
const noQuery = z.strictObject({});
const emptyBody = z.strictObject({});
/** A JSON string may escape every character of the file: room for that, still bounded. */
const UPLOAD_BODY_LIMIT = 2 * HR_FEED_LIMITS.bytes + 64 * 1024;

/** HR feed imports (admin): upload for a dry run, then apply exactly that preview, or discard it. */
export function importRoutes(app: FastifyInstance, deps: DirectoryDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/org/imports',
    {
      bodyLimit: UPLOAD_BODY_LIMIT,
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Check an HR feed file (dry run): its joiners, movers, leavers and conflicts (admin)',
        description:
          'Nothing in the org changes: the preview is stored so that exactly it can be applied. A file with ' +
          'problems answers 400 naming each row and column ("row 12: email"), and nothing is stored.',
        querystring: noQuery,
        body: OrgImportCreate,
        response: { 201: OrgImport, ...errors },
      },
    },
    async (request, reply) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return reply.code(201).send(await previewImport(deps, request.ctx, request.body));
    },
  );

  r.get(
    '/api/v1/org/imports',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Recent HR feed imports, newest first (admin)',
        querystring: OrgImportListQuery,
        response: { 200: OrgImportPage, ...errors },
      },
    },
    async (request) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return listImports(deps, request.query);
    },
  );

  r.get(
    '/api/v1/org/imports/:id',
    {
      config: { ...session, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'One HR feed import with its diff (admin)',
        params: byId,
        querystring: noQuery,
        response: { 200: OrgImport, ...errors },
      },
    },
    async (request) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return getImport(deps, request.params.id);
    },
  );

  r.post(
    '/api/v1/org/imports/:id/apply',
    {
      config: {
        ...session,
        access: { roles: ADMIN_ONLY, record: 'shared' },
        rateLimit: RATE.write,
        privileged: true,
      },
      schema: {
        tags,
        summary: 'Apply a previewed HR feed import atomically (admin; needs a recent MFA sign-in)',
        description:
          'Refused (409) when the org changed since the preview: preview the file again. Leavers are ' +
          'deactivated: their sessions end and their API tokens are revoked in the same transaction. An ' +
          'import that would deactivate more than 10% of HR-managed people needs confirmLeavers.',
        params: byId,
        querystring: noQuery,
        body: OrgImportApply,
        response: { 200: OrgImport, ...errors },
      },
    },
    async (request) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return applyImport(deps, request.ctx, request.params.id, request.body.confirmLeavers);
    },
  );

  r.post(
    '/api/v1/org/imports/:id/discard',
    {
      config: { ...session, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.write },
      schema: {
        tags,
        summary: 'Discard a previewed HR feed import (admin)',
        params: byId,
        querystring: noQuery,
        body: emptyBody,
        response: { 200: OrgImport, ...errors },
      },
    },
    async (request) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return discardImport(deps, request.ctx, request.params.id);
    },
  );
}
