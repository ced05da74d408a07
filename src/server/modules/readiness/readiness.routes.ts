import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../contract/api/common.ts';
import {
  Attestation,
  AttestationInput,
  AttestationList,
  AttestationRevokeQuery,
  ReadinessRecord,
  ReadinessRecordList,
  ReadinessReport,
  ReadinessSnapshot,
  ReadinessSnapshotList,
  RecordInput,
  RecordListQuery,
  SnapshotListQuery,
} from '../../../contract/api/readiness.ts';
import { Problem } from '../../../contract/problem.ts';
import { decodeCursor, encodeCursor } from '../../db/cursor.ts';
import { NotFoundError } from '../../errors.ts';
import { ADMIN_ONLY, ANY_ROLE } from '../../plugins/access.ts';
import { requireActor } from '../../plugins/types.ts';
import { authorizeGovernance, GOVERNANCE_READ, GOVERNANCE_WRITE } from './governance.policy.ts';
import {
  listAttestationsFor,
  listRecordsFor,
  putAttestation,
  recordFromApi,
  revokeAttestation,
} from './readiness.attest.ts';
import * as repo from './readiness.repo.ts';
import {
  evaluateReadiness,
  type ReadinessDeps,
  snapshotOf,
  summaryOf,
  takeSnapshot,
} from './readiness.service.ts';
import { recordScrapes } from './readiness.signals.ts';

export type { ReadinessDeps } from './readiness.service.ts';

/** Reading the verdict works with a `readiness:read` token (a pipeline's deployment gate); changes need an admin. */
const read = GOVERNANCE_READ;
const write = { ...GOVERNANCE_WRITE, privileged: true } as const;
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const tags = ['readiness'];
const base = '/api/v1/readiness';
const noQuery = z.strictObject({});
const noBody = z.strictObject({}).nullish();
const gateParams = z.strictObject({
  gateId: z
    .string()
    .max(100)
    .regex(/^[a-z]+\.[a-z_]+$/, 'must be a gate id such as identity.okta_app_registered'),
});

export function readinessRoutes(app: FastifyInstance, deps: ReadinessDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  recordScrapes(deps.db, deps.now, deps.config.observability.tracing.podName);

  r.get(
    base,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary:
          'Evaluate the readiness model now: every gate, its status, reason and evidence, and the verdict',
        description:
          'Live evaluation (nothing is stored; POST /snapshots keeps one). Verdict: no_go when any P0 gate fails ' +
          'or a blocker risk is open; go_with_known_issues when any gate warns or a P1 gate fails; else go.',
        querystring: noQuery,
        response: { 200: ReadinessReport, ...errors },
      },
    },
    async (request) => {
      authorizeGovernance(requireActor(request.ctx), 'read');
      return evaluateReadiness(deps);
    },
  );

  r.post(
    `${base}/snapshots`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY } },
      schema: {
        tags,
        summary: 'Evaluate the readiness model and keep the result as a snapshot (audited)',
        querystring: noQuery,
        body: noBody,
        response: { 201: ReadinessSnapshot, ...errors },
      },
    },
    async (request, reply) => {
      authorizeGovernance(requireActor(request.ctx), 'attest');
      const { id } = await takeSnapshot(deps, request.ctx, 'api');
      const row = await repo.findSnapshot(deps.db, id);
      if (!row) throw new NotFoundError('readiness snapshot');
      return reply.code(201).send(snapshotOf(row));
    },
  );

  r.get(
    `${base}/snapshots`,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'Readiness snapshots, newest first (keyset pages: pass nextCursor as cursor)',
        querystring: SnapshotListQuery,
        response: { 200: ReadinessSnapshotList, ...errors },
      },
    },
    async (request) => {
      authorizeGovernance(requireActor(request.ctx), 'read');
      const { cursor, limit } = request.query;
      const rows = await repo.listSnapshots(deps.db, cursor ? decodeCursor(cursor) : null, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(summaryOf),
        nextCursor: rows.length > limit && last ? encodeCursor(last.takenAt, last.id) : null,
      };
    },
  );

  r.get(
    `${base}/snapshots/:id`,
    {
      config: { ...read, access: { roles: ANY_ROLE, record: 'shared' } },
      schema: {
        tags,
        summary: 'One readiness snapshot with its full report',
        params: z.strictObject({ id: Uuid }),
        querystring: noQuery,
        response: { 200: ReadinessSnapshot, ...errors },
      },
    },
    async (request) => {
      authorizeGovernance(requireActor(request.ctx), 'read');
      const row = await repo.findSnapshot(deps.db, request.params.id);
      if (!row) throw new NotFoundError('readiness snapshot');
      return snapshotOf(row);
    },
  );

  r.get(
    `${base}/attestations`,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'The current attestation of every attested manual gate',
        querystring: noQuery,
        response: { 200: AttestationList, ...errors },
      },
    },
    async (request) => ({ items: await listAttestationsFor(deps, request.ctx) }),
  );

  r.put(
    `${base}/gates/:gateId/attestation`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: "Set or renew a manual gate's attestation (admin, fresh MFA; audited)",
        description:
          'Omit version to create the first attestation; send the version you read to renew it (stale → 409). ' +
          'expiresAt must be in the future and at most 366 days ahead. An unknown or automatic gate is a 404.',
        params: gateParams,
        querystring: noQuery,
        body: AttestationInput,
        response: { 200: Attestation, ...errors },
      },
    },
    async (request) => putAttestation(deps, request.ctx, request.params.gateId, request.body),
  );

  r.delete(
    `${base}/gates/:gateId/attestation`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY, record: 'shared' } },
      schema: {
        tags,
        summary: "Withdraw a manual gate's attestation: the gate fails until attested again (audited)",
        params: gateParams,
        querystring: AttestationRevokeQuery,
        body: noBody,
        response: { 204: z.null().describe('Revoked'), ...errors },
      },
    },
    async (request, reply) => {
      await revokeAttestation(deps, request.ctx, request.params.gateId, request.query.version);
      return reply.code(204).send(null);
    },
  );

  r.post(
    `${base}/records`,
    {
      config: { ...write, access: { roles: ADMIN_ONLY } },
      schema: {
        tags,
        summary: 'Record a deployment verification or rollback drill for an environment (audited)',
        description:
          'performedAt must not be in the future. The gates read the newest record per environment.',
        querystring: noQuery,
        body: RecordInput,
        response: { 201: ReadinessRecord, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await recordFromApi(deps, request.ctx, request.body)),
  );

  r.get(
    `${base}/records`,
    {
      config: { ...read, access: { roles: ANY_ROLE } },
      schema: {
        tags,
        summary: 'Deployment verifications and rollback drills, newest first (at most 100)',
        querystring: RecordListQuery,
        response: { 200: ReadinessRecordList, ...errors },
      },
    },
    async (request) => ({ items: await listRecordsFor(deps, request.ctx, request.query) }),
  );
}
