import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  HierarchyIssues,
  OrgConflictPage,
  OrgConflictQuery,
  OrgPeoplePage,
  OrgPeopleQuery,
  OrgPersonDetail,
  OrgSourceId,
  OrgSourceStatus,
  OrgSourceUpdate,
  OrgStatus,
} from '../../../contract/api/directory.ts';
import { Problem } from '../../../contract/problem.ts';
import { ADMIN_ONLY, MANAGER_UP } from '../../plugins/access.ts';
import { RATE } from '../../plugins/rate-limit.ts';
import { requireActor } from '../../plugins/types.ts';
import { listConflicts } from './conflicts.service.ts';
import { authorizeDirectory } from './directory.policy.ts';
import { hierarchyIssues } from './hierarchy.service.ts';
import type { DirectoryDeps } from './hr-feed.service.ts';
import { importRoutes } from './imports.routes.ts';
import { configureSource, orgStatus } from './org-status.service.ts';
import { getPerson, listPeople } from './people.service.ts';

const session = { auth: 'session', kind: 'api' } as const;
/** People reads also accept an API token with people:read; the directory policy and scope still apply. */
const peopleRead = { auth: 'session_or_token', tokenScope: 'people:read', kind: 'api' } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['org'];
const noQuery = z.strictObject({});

/**
 * The directory: org source status and settings, hierarchy issues and conflicts (admins), and people with
 * their effective access (admins: everyone; managers: their scope). HR feed imports are in imports.routes.ts.
 */
export function directoryRoutes(app: FastifyInstance, deps: DirectoryDeps) {
  importRoutes(app, deps);
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/org/status',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary:
          'Org sources (SCIM, HR feed): freshness, last sync and errors; people and issue counts (admin)',
        querystring: noQuery,
        response: { 200: OrgStatus, ...errors },
      },
    },
    async (request) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return orgStatus(deps.db, deps.now());
    },
  );

  r.put(
    '/api/v1/org/sources/:id',
    {
      config: {
        ...session,
        access: { roles: ADMIN_ONLY, record: 'shared' },
        rateLimit: RATE.write,
        privileged: true,
      },
      schema: {
        tags,
        summary: 'Enable or disable an org source and set its maximum staleness (admin; audited; step-up)',
        params: z.strictObject({ id: OrgSourceId }),
        querystring: noQuery,
        body: OrgSourceUpdate,
        response: { 200: OrgSourceStatus, ...errors },
      },
    },
    async (request) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return configureSource(deps.db, request.ctx, request.params.id, request.body, deps.now());
    },
  );

  r.get(
    '/api/v1/org/hierarchy/issues',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'Reporting hierarchy issues: orphans, unresolved manager references, cycles (admin)',
        querystring: noQuery,
        response: { 200: HierarchyIssues, ...errors },
      },
    },
    async (request) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return hierarchyIssues(deps.db);
    },
  );

  r.get(
    '/api/v1/org/people',
    {
      config: { ...peopleRead, access: { roles: MANAGER_UP }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'People with their effective role, scope and entitlements with provenance (managers: scope)',
        querystring: OrgPeopleQuery,
        response: { 200: OrgPeoplePage, ...errors },
      },
    },
    async (request) => listPeople(deps, requireActor(request.ctx), request.query),
  );

  r.get(
    '/api/v1/org/people/:id',
    {
      config: { ...peopleRead, access: { roles: MANAGER_UP, record: 'person' }, rateLimit: RATE.read },
      schema: {
        tags,
        summary: 'One person: access, manager chain, direct reports, source records and conflicts',
        params: z.strictObject({ id: Uuid }),
        querystring: noQuery,
        response: { 200: OrgPersonDetail, ...errors },
      },
    },
    async (request) => getPerson(deps, requireActor(request.ctx), request.params.id),
  );

  r.get(
    '/api/v1/org/conflicts',
    {
      config: { ...session, access: { roles: ADMIN_ONLY }, rateLimit: RATE.read },
      schema: {
        tags,
        summary:
          'People on whom the sources (SCIM, HR feed, ID token) disagree, and which value is in effect',
        querystring: OrgConflictQuery,
        response: { 200: OrgConflictPage, ...errors },
      },
    },
    async (request) => {
      authorizeDirectory(requireActor(request.ctx), 'administer');
      return listConflicts(deps.db, request.query);
    },
  );
}
