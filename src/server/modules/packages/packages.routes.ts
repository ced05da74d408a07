import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  PackageCreate,
  PackageDownloadQuery,
  PackageList,
  PackageListQuery,
  PackageSummary,
  PackageVerification,
} from '../../../contract/api/packages.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { FileBytes } from '../attachments/media.body.ts';
import { PACKAGE_HTML_CSP } from './packages.render.html.ts';
import {
  downloadPackage,
  generatePackage,
  getPackage,
  listPackages,
  type PackageDeps,
  verifyPackage,
} from './packages.service.ts';

export type { PackageDeps } from './packages.service.ts';

/**
 * Audience packages (docs/readiness.md): admins only (authorizeGovernance 'package'). Generating is privileged
 * (a fresh MFA step-up: the Security Review package names privileged people and break-glass history) and
 * rate-limited like writes; a download uses the export budget (each one reads a whole package out and is audited).
 */
const read = { auth: 'session', kind: 'api', rateLimit: RATE.read } as const;
const heavy = { auth: 'session', kind: 'api', rateLimit: RATE.write } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const tags = ['packages'];
const base = '/api/v1/packages';
const byId = z.strictObject({ id: Uuid });
const noQuery = z.strictObject({});

const fileResponse = (contentType: string, description: string) => ({
  description,
  content: { [contentType]: { schema: FileBytes } },
});

export function packageRoutes(app: FastifyInstance, deps: PackageDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    base,
    {
      config: { ...heavy, access: { roles: ADMIN_ONLY }, privileged: true },
      schema: {
        tags,
        summary: 'Generate an audience package from live state (Markdown, HTML and PDF, hashed and audited)',
        description:
          'Takes a readiness snapshot (trigger "package"), gathers the audience’s facts from live tables, renders ' +
          'them three ways and stores the renderings with their SHA-256; the `package.generated` audit event ' +
          'records the same hashes. Admins, after a fresh MFA step-up. 400 naming body.audience for an unknown ' +
          'audience.',
        querystring: noQuery,
        body: PackageCreate,
        response: { 201: PackageSummary, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await generatePackage(deps, request.ctx, request.body.audience)),
  );

  r.get(
    base,
    {
      config: { ...read, access: { roles: ADMIN_ONLY } },
      schema: {
        tags,
        summary: 'Generated audience packages, newest first (optionally one audience)',
        querystring: PackageListQuery,
        response: { 200: PackageList, ...errors },
      },
    },
    async (request) => listPackages(deps, request.ctx, request.query),
  );

  r.get(
    `${base}/:id`,
    {
      config: { ...read, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: 'One generated package: audience, title, when and by whom, hashes, snapshot and verdict',
        params: byId,
        querystring: noQuery,
        response: { 200: PackageSummary, ...errors },
      },
    },
    async (request) => getPackage(deps, request.ctx, request.params.id),
  );

  r.get(
    `${base}/:id/download`,
    {
      exposeHeadRoute: false,
      config: { ...heavy, access: { roles: ADMIN_ONLY, record: 'shared' }, rateLimit: RATE.export },
      schema: {
        tags,
        summary: 'Download a stored package rendering (format=markdown|html|pdf), byte for byte as generated',
        description:
          'An attachment, never cached or sniffed. The HTML carries its own Content-Security-Policy allowing ' +
          'nothing but its inline styles. Audited (`package.exported`).',
        params: byId,
        querystring: PackageDownloadQuery,
        response: {
          200: {
            description: 'The rendering',
            content: {
              ...fileResponse('text/markdown', 'Markdown').content,
              ...fileResponse('text/html', 'HTML').content,
              ...fileResponse('application/pdf', 'PDF').content,
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      const file = await downloadPackage(deps, request.ctx, request.params.id, format);
      reply
        .code(200)
        .type(file.contentType)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`);
      if (format === 'html') reply.header('content-security-policy', PACKAGE_HTML_CSP);
      return reply.send(file.bytes);
    },
  );

  r.get(
    `${base}/:id/verify`,
    {
      config: { ...read, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: 'Check a stored package against its stored hashes and the package.generated audit event',
        description:
          'Recomputes the SHA-256 of each stored rendering; ok only when, for Markdown, HTML, PDF and the package ' +
          'hash, the recomputed, stored and audited values all agree. `problem` names the format that differs.',
        params: byId,
        querystring: noQuery,
        response: { 200: PackageVerification, ...errors },
      },
    },
    async (request) => verifyPackage(deps, request.ctx, request.params.id),
  );
}
