import type {
  Attestation,
  AttestationInput,
  DeployEnvironment,
  ReadinessRecord,
  RecordInput,
  RecordKind,
} from '../../../contract/api/readiness.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { requireActor } from '../../plugins/types.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeGovernance } from './governance.policy.ts';
import { GATE_BY_ID } from './readiness.catalog.ts';
import { DAY, MINUTE } from './readiness.gates.ts';
import * as repo from './readiness.repo.ts';
import type { ReadinessDeps } from './readiness.service.ts';

/** Manual-gate attestations and operational records (docs/readiness.md#attestations-and-records). */
export const ATTESTATION_MAX_DAYS = 366;
export const RECORDS_LIST_MAX = 100;
/** Clock skew tolerated on a record's performedAt (a CLI host's clock may run slightly ahead). */
const FUTURE_SKEW_MS = 5 * MINUTE;

function manualGate(gateId: string): void {
  if (GATE_BY_ID.get(gateId)?.kind !== 'manual') throw new NotFoundError('manual readiness gate');
}

function attestationOf(row: repo.AttestationRow, name: string | null): Attestation {
  return {
    gateId: row.gateId,
    status: row.status,
    owner: row.owner,
    evidenceUrl: row.evidenceUrl,
    note: row.note,
    attestedBy: row.attestedBy ? { id: row.attestedBy, name: name ?? 'Unknown' } : null,
    attestedAt: row.attestedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    version: row.version,
  };
}

const stale = (gateId: string, sent: number | undefined, current: number) =>
  new ConflictError(
    current === 0
      ? `Gate ${gateId} has no attestation any more; send it again without a version to create one.`
      : `The attestation of ${gateId} changed: it is at version ${current}. Reload it and send your change with version ${current}.`,
    {
      errors: [
        {
          field: 'body.version',
          message:
            sent === undefined
              ? `is required: the gate is already attested (version ${current})`
              : `is ${sent}; the current version is ${current}`,
        },
      ],
    },
  );

export async function listAttestationsFor(deps: ReadinessDeps, ctx: RequestContext): Promise<Attestation[]> {
  authorizeGovernance(requireActor(ctx), 'read');
  return (await repo.listAttestations(deps.db)).map((row) => attestationOf(row, row.attestedByName));
}

/** PUT: create (no version) or renew from the version read; audited readiness.attestation.updated. */
export async function putAttestation(
  deps: ReadinessDeps,
  ctx: RequestContext,
  gateId: string,
  input: AttestationInput,
): Promise<Attestation> {
  const actor = requireActor(ctx);
  authorizeGovernance(actor, 'attest');
  manualGate(gateId);
  const now = deps.now();
  const expiresAt = new Date(input.expiresAt);
  if (expiresAt.getTime() <= now.getTime())
    throw new ValidationError('An attestation must expire in the future.', [
      { field: 'body.expiresAt', message: 'must be in the future' },
    ]);
  if (expiresAt.getTime() > now.getTime() + ATTESTATION_MAX_DAYS * DAY)
    throw new ValidationError(`An attestation lasts at most ${ATTESTATION_MAX_DAYS} days.`, [
      { field: 'body.expiresAt', message: `must be at most ${ATTESTATION_MAX_DAYS} days ahead` },
    ]);
  const values = {
    status: input.status,
    owner: input.owner,
    evidenceUrl: input.evidenceUrl,
    note: input.note ?? null,
    attestedBy: actor.personId,
    attestedAt: now,
    expiresAt,
  };
  const row = await deps.db.transaction(async (tx) => {
    const current = await repo.lockAttestation(tx, gateId);
    const from = current?.version ?? 0;
    if ((input.version ?? 0) !== from) throw stale(gateId, input.version, from);
    const saved = current
      ? await repo.updateAttestation(tx, gateId, from, values)
      : await repo.insertAttestation(tx, { gateId, ...values, version: 1 });
    // A concurrent first attestation (no row to lock yet) or renewal: the loser gets the 409.
    if (!saved) throw stale(gateId, input.version, from + 1);
    await audit(tx, ctx, {
      action: 'readiness.attestation.updated',
      targetId: gateId,
      details: {
        status: saved.status,
        owner: saved.owner,
        evidenceUrl: saved.evidenceUrl,
        expiresAt: saved.expiresAt.toISOString(),
        fromVersion: from,
        toVersion: saved.version,
      },
    });
    return saved;
  });
  return attestationOf(row, actor.name);
}

/** DELETE: withdraw an attestation (the gate fails until attested again); `version` guards a stale revoke. */
export async function revokeAttestation(
  deps: ReadinessDeps,
  ctx: RequestContext,
  gateId: string,
  version: number | undefined,
): Promise<void> {
  authorizeGovernance(requireActor(ctx), 'attest');
  manualGate(gateId);
  await deps.db.transaction(async (tx) => {
    const current = await repo.lockAttestation(tx, gateId);
    if (!current) throw new NotFoundError('attestation');
    if (version !== undefined && version !== current.version)
      throw new ConflictError(
        `The attestation of ${gateId} changed: it is at version ${current.version}. Reload it before revoking.`,
        {
          errors: [
            { field: 'query.version', message: `is ${version}; the current version is ${current.version}` },
          ],
        },
      );
    await repo.deleteAttestation(tx, gateId);
    await audit(tx, ctx, {
      action: 'readiness.attestation.revoked',
      targetId: gateId,
      details: { status: current.status, owner: current.owner },
    });
  });
}

function recordOf(row: repo.RecordRow, name: string | null): ReadinessRecord {
  return {
    id: row.id,
    kind: row.kind,
    environment: row.environment,
    outcome: row.outcome,
    performedAt: row.performedAt.toISOString(),
    recordedBy: row.recordedBy ? { id: row.recordedBy, name: name ?? 'Unknown' } : null,
    source: row.source,
    evidenceUrl: row.evidenceUrl,
    notes: row.notes,
  };
}

/**
 * Store a deployment verification or rollback drill (audited readiness.record.added). From the API the actor
 * is the admin; from the CLI (`source: 'cli'`) the context is a system context and nobody is named.
 */
export async function addRecord(
  db: Db,
  ctx: RequestContext,
  input: RecordInput & { details?: Record<string, unknown> },
  source: 'api' | 'cli',
  now: Date,
): Promise<ReadinessRecord> {
  const performedAt = new Date(input.performedAt);
  if (performedAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
    throw new ValidationError('A record describes something already done.', [
      { field: 'body.performedAt', message: 'must not be in the future' },
    ]);
  const row = await db.transaction(async (tx) => {
    const created = await repo.insertRecord(tx, {
      kind: input.kind,
      environment: input.environment,
      outcome: input.outcome,
      performedAt,
      recordedBy: ctx.actor?.personId ?? null,
      source,
      evidenceUrl: input.evidenceUrl ?? null,
      notes: input.notes ?? null,
      details: input.details ?? {},
    });
    await audit(tx, ctx, {
      action: 'readiness.record.added',
      targetId: created.id,
      details: {
        kind: created.kind,
        environment: created.environment,
        outcome: created.outcome,
        performedAt: created.performedAt.toISOString(),
      },
    });
    return created;
  });
  return recordOf(row, ctx.actor?.name ?? null);
}

export async function recordFromApi(deps: ReadinessDeps, ctx: RequestContext, input: RecordInput) {
  authorizeGovernance(requireActor(ctx), 'attest');
  return addRecord(deps.db, ctx, input, 'api', deps.now());
}

export async function listRecordsFor(
  deps: ReadinessDeps,
  ctx: RequestContext,
  filter: { kind?: RecordKind | undefined; environment?: DeployEnvironment | undefined },
): Promise<ReadinessRecord[]> {
  authorizeGovernance(requireActor(ctx), 'read');
  return (await repo.listRecords(deps.db, filter, RECORDS_LIST_MAX)).map((r) =>
    recordOf(r, r.recordedByName),
  );
}
