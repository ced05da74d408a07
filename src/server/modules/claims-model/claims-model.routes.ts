import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ClaimsModelChange, ClaimsModelVersion } from '../../../contract/api/claims-model.ts';
import { queryInt } from '../../../contract/api/common.ts';
import { Problem } from '../../../contract/problem.ts';
import type { Db } from '../../db/client.ts';
import { ADMIN_ONLY } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { requireActor } from '../../plugins/types.ts';
import { approveModel, changeModel, type Deployment, listVersions } from './claims-model.service.ts';

export interface ClaimsModelRouteDeps {
  db: Db;
  deployment: Deployment;
  now: () => Date;
}

const VersionList = z.object({ items: z.array(ClaimsModelVersion) });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** The trusted-claims model: admins read its versions, change it (new version) and approve a colleague's. */
export function claimsModelRoutes(app: FastifyInstance, deps: ClaimsModelRouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/claims-model',
    {
      config: { access: { roles: ADMIN_ONLY }, auth: 'session', kind: 'api', rateLimit: RATE.read },
      schema: {
        tags: ['identity'],
        summary: 'Versions of the trusted-claims model, newest (active) first (admin)',
        querystring: z.strictObject({ limit: queryInt(1, 100).default(20) }),
        response: { 200: VersionList, ...errors },
      },
    },
    async (request) => ({
      items: await listVersions(deps.db, requireActor(request.ctx), request.query.limit),
    }),
  );

  r.put(
    '/api/v1/claims-model',
    {
      config: {
        access: { roles: ADMIN_ONLY, sso: true },
        auth: 'session',
        kind: 'api',
        rateLimit: RATE.write,
        privileged: true,
      },
      schema: {
        tags: ['identity'],
        summary:
          'Make a new version of the trusted-claims model active (admin; audited; needs a recent MFA sign-in)',
        body: ClaimsModelChange,
        response: { 200: ClaimsModelVersion, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request.ctx);
      const version = await changeModel(
        deps.db,
        request.ctx,
        actor,
        request.body,
        deps.deployment,
        deps.now(),
      );
      const [active] = await listVersions(deps.db, actor, 1);
      if (!active || active.version !== version) throw new Error('new claims model version not found');
      return active;
    },
  );

  r.post(
    '/api/v1/claims-model/versions/:version/approve',
    {
      config: {
        access: { roles: ADMIN_ONLY, sso: true, record: 'shared' },
        auth: 'session',
        kind: 'api',
        rateLimit: RATE.write,
        privileged: true,
      },
      schema: {
        tags: ['identity'],
        summary: 'Approve the active version (a second admin, not its author; audited)',
        params: z.strictObject({ version: queryInt(1, 1_000_000) }),
        body: z.strictObject({}),
        response: { 200: ClaimsModelVersion, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request.ctx);
      await approveModel(deps.db, request.ctx, actor, request.params.version, deps.now());
      const items = await listVersions(deps.db, actor, 100);
      const approved = items.find((v) => v.version === request.params.version);
      if (!approved) throw new Error('approved version not found');
      return approved;
    },
  );
}
