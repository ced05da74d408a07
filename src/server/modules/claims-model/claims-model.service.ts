import canonicalize from 'canonicalize';
import { type ClaimsModelChange, ClaimsModelSpec } from '../../../contract/api/claims-model.ts';
import type { Db } from '../../db/client.ts';
import { versionCache } from '../../db/version-cache.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { effectiveAccessFor } from '../access/entitlements.service.ts';
import { filterGroups } from '../access/groups.ts';
import { audit } from '../audit/audit.service.ts';
import type { Actor, RequestContext } from '../identity/actor.ts';
import { findPersonById } from '../identity/identity.repo.ts';
import { refreshAllScimPeople } from '../scim/scim.membership.ts';
import { authorizeClaimsModel } from './claims-model.policy.ts';
import * as repo from './claims-model.repo.ts';

/** What the deployment fixes and the model may not change: the trusted issuer and our client id. */
export interface Deployment {
  issuer: string;
  audience: string;
}

export interface ActiveModel {
  version: number;
  spec: ClaimsModelSpec;
}

/** Version 1: the deployment's issuer and client id with safe defaults for everything else. */
export function initialModel(deployment: Deployment): ClaimsModelSpec {
  return {
    issuer: deployment.issuer,
    audience: deployment.audience,
    algorithms: ['RS256'],
    clockSkewSeconds: 60,
    claims: { email: 'email', name: 'name', groups: 'groups', employeeNumber: 'employee_number' },
    requireEmailVerified: true,
    groupFilter: { prefixes: [], patterns: [] },
    mfa: {
      requiredFor: ['admin'],
      acceptedAmr: ['mfa', 'hwk', 'otp', 'swk'],
      acceptedAcr: [],
      stepUpMaxAgeMinutes: 60,
      stepUpAcrValues: null,
    },
  };
}

const specs = versionCache((raw) => ClaimsModelSpec.parse(raw));

function specOf(db: Db, row: repo.ClaimsModelRow): ClaimsModelSpec {
  return specs.of(db, row.version, row.model);
}

/** The model of a given version (sessions record the version they were checked against). */
export async function modelVersion(db: Db, version: number): Promise<ClaimsModelSpec> {
  const cached = specs.get(db, version);
  if (cached) return cached;
  const row = await repo.findVersion(db, version);
  if (!row) throw new Error(`claims model version ${version} does not exist`);
  return specOf(db, row);
}

export async function activeModel(db: Db): Promise<ActiveModel> {
  const row = await repo.findActive(db);
  if (!row) throw new Error('no active claims model: ensureClaimsModel runs at start-up');
  return { version: row.version, spec: specOf(db, row) };
}

/** Top-level fields that differ between two versions (what the audit event and the UI show). */
export function changedFields(before: ClaimsModelSpec | null, after: ClaimsModelSpec): string[] {
  if (!before) return Object.keys(after);
  return (Object.keys(after) as (keyof ClaimsModelSpec)[]).filter(
    (key) => canonicalize(before[key]) !== canonicalize(after[key]),
  );
}

/**
 * At start-up: create version 1 from the environment, or — when the deployment now trusts a different issuer
 * or client id — a new version that records it. Both are audited as system changes.
 */
export async function ensureClaimsModel(
  db: Db,
  ctx: RequestContext,
  deployment: Deployment,
  now: Date,
): Promise<ActiveModel> {
  return db.transaction(async (tx) => {
    await repo.lockClaimsModels(tx);
    const current = await repo.findActive(tx);
    const before = current ? specOf(tx, current) : null;
    if (current && before && before.issuer === deployment.issuer && before.audience === deployment.audience) {
      return { version: current.version, spec: before };
    }
    const spec = before ? { ...before, ...deployment } : initialModel(deployment);
    const version = (current?.version ?? 0) + 1;
    const reason = before ? 'The deployment trusts a different issuer or client id' : 'Initial configuration';
    await repo.activate(tx, { version, model: spec, reason, createdBy: null, createdAt: now });
    await audit(tx, ctx, {
      action: 'claims_model.changed',
      targetId: String(version),
      details: {
        version,
        previousVersion: current?.version ?? null,
        reason,
        changed: changedFields(before, spec),
      },
    });
    return { version, spec };
  });
}

/** An admin makes a new version active. The issuer and client id stay those of the deployment. */
export async function changeModel(
  db: Db,
  ctx: RequestContext,
  actor: Actor,
  change: ClaimsModelChange,
  deployment: Deployment,
  now: Date,
): Promise<number> {
  authorizeClaimsModel(actor, 'change');
  const spec = change.model;
  const problems: { field: string; message: string }[] = [];
  if (spec.issuer !== deployment.issuer)
    problems.push({
      field: 'body.model.issuer',
      message: `must stay ${deployment.issuer} (set by deployment)`,
    });
  if (spec.audience !== deployment.audience)
    problems.push({
      field: 'body.model.audience',
      message: `must stay ${deployment.audience} (set by deployment)`,
    });
  if (problems.length > 0) throw new ValidationError('The claims model change is not valid.', problems);

  const me = await findPersonById(db, actor.personId);
  if (actor.via === 'session' && me) {
    const narrowed = { ...me, groups: filterGroups(me.groups, spec.groupFilter) };
    const { access } = await effectiveAccessFor(db, narrowed, now);
    if (access?.role !== 'admin')
      throw new ConflictError(
        'This change would take away your own admin access. Keep the group filter passing a group that makes you admin.',
      );
  }

  return db.transaction(async (tx) => {
    await repo.lockClaimsModels(tx);
    const current = await repo.findActive(tx);
    const before = current ? specOf(tx, current) : null;
    const changed = changedFields(before, spec);
    if (changed.length === 0)
      throw new ConflictError('Nothing changed: the model is the same as the active version.');
    const version = (current?.version ?? 0) + 1;
    await repo.activate(tx, {
      version,
      model: spec,
      reason: change.reason,
      createdBy: actor.personId,
      createdAt: now,
    });
    await audit(tx, ctx, {
      action: 'claims_model.changed',
      targetId: String(version),
      details: { version, previousVersion: current?.version ?? null, reason: change.reason, changed },
    });
    // A new group filter changes which SCIM memberships count: re-derive them in the same transaction.
    await refreshAllScimPeople(tx, now);
    return version;
  });
}

/** A second admin (never the author of the version) approves the active version. */
export async function approveModel(db: Db, ctx: RequestContext, actor: Actor, version: number, now: Date) {
  authorizeClaimsModel(actor, 'approve');
  await db.transaction(async (tx) => {
    await repo.lockClaimsModels(tx);
    const row = await repo.findVersion(tx, version);
    if (!row) throw new NotFoundError('claims model version');
    if (row.status !== 'active') throw new ConflictError('Only the active version can be approved.');
    if (row.approvedAt) throw new ConflictError('This version is already approved.');
    if (row.createdBy === actor.personId)
      throw new ConflictError('A version is approved by a second admin, not by the admin who made it.');
    await repo.markApproved(tx, version, actor.personId, now);
    await audit(tx, ctx, {
      action: 'claims_model.approved',
      targetId: String(version),
      details: { version },
    });
  });
}

export async function listVersions(db: Db, actor: Actor, limit: number) {
  authorizeClaimsModel(actor, 'read');
  const rows = await repo.listVersions(db, limit);
  return rows.map(({ row, creatorName, approverName }) => ({
    version: row.version,
    status: row.status,
    reason: row.reason,
    createdBy: row.createdBy ? { id: row.createdBy, name: creatorName ?? 'Unknown' } : null,
    createdAt: row.createdAt.toISOString(),
    approvedBy: row.approvedBy ? { id: row.approvedBy, name: approverName ?? 'Unknown' } : null,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    model: specOf(db, row),
  }));
}
