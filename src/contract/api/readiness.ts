import { z } from 'zod';
import { IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';

/**
 * The readiness model (docs/readiness.md): blocks of gates, each pass / warn / fail with its reason and
 * evidence, and the verdict by the program's release rule — every P0 gate passes and no blocker is open.
 * Shared by the server, `bi readiness`, the admin page and the audience packages.
 */
export const READINESS_BLOCKS = [
  'workforce_identity',
  'org_aware_access',
  'kanopy_readiness',
  'deployment_operations',
  'reliability_telemetry',
  'audit_ownership',
] as const;
export type ReadinessBlockId = (typeof READINESS_BLOCKS)[number];
export const BLOCK_LABEL: Record<ReadinessBlockId, string> = {
  workforce_identity: 'Workforce identity',
  org_aware_access: 'Org-aware access',
  kanopy_readiness: 'Kanopy readiness',
  deployment_operations: 'Deployment operations',
  reliability_telemetry: 'Reliability telemetry',
  audit_ownership: 'Audit and ownership',
};

export const GATE_STATUSES = ['pass', 'warn', 'fail'] as const;
export type GateStatus = (typeof GATE_STATUSES)[number];
export const GateStatusSchema = z.enum(GATE_STATUSES);

export const VERDICTS = ['go', 'go_with_known_issues', 'no_go'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_LABEL: Record<Verdict, string> = {
  go: 'Go',
  go_with_known_issues: 'Go with known issues',
  no_go: 'No-go',
};

export const DEPLOY_ENVIRONMENTS = ['local', 'dev', 'staging', 'prod'] as const;
export type DeployEnvironment = (typeof DEPLOY_ENVIRONMENTS)[number];
export const DeployEnvironmentSchema = z.enum(DEPLOY_ENVIRONMENTS);

/** Evidence is flat and printable: what the gate read, by name. */
export const Evidence = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type Evidence = z.infer<typeof Evidence>;

export const GateResult = z.object({
  id: z.string().describe('Stable gate id, e.g. identity.issuer_reachable'),
  block: z.enum(READINESS_BLOCKS),
  title: z.string(),
  priority: z.enum(['P0', 'P1']),
  kind: z.enum(['automatic', 'manual']),
  status: GateStatusSchema,
  reason: z.string().describe('Why this status, in one sentence'),
  evidence: Evidence,
  /** How to make a failing gate pass (docs/readiness.md has the long form under the same anchor). */
  fix: z.string(),
  owner: z.string().nullable().describe('Manual gates: the accountable owner; automatic: the owning team'),
  /** Manual gates: the attestation's evidence link and expiry (null when not attested). */
  evidenceUrl: z.string().nullable(),
  expiresAt: IsoDateTime.nullable(),
});
export type GateResult = z.infer<typeof GateResult>;

export const ReadinessBlock = z.object({
  id: z.enum(READINESS_BLOCKS),
  label: z.string(),
  /** The worst status of its gates. */
  status: GateStatusSchema,
  gates: z.array(GateResult),
});
export type ReadinessBlock = z.infer<typeof ReadinessBlock>;

/** An open blocker: a risk at level "blocker" that is open or being mitigated (the workspace's risks). */
export const Blocker = z.object({ id: Uuid, title: z.string(), owner: z.string(), status: z.string() });
export type Blocker = z.infer<typeof Blocker>;

export const ReadinessReport = z.object({
  evaluatedAt: IsoDateTime,
  environment: DeployEnvironmentSchema,
  verdict: z.enum(VERDICTS),
  /** Why the verdict: the failing P0 gates and open blockers (no-go), or the known issues. */
  reasons: z.array(z.string()),
  counts: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
  blocks: z.array(ReadinessBlock),
  blockers: z.array(Blocker),
});
export type ReadinessReport = z.infer<typeof ReadinessReport>;

export const SNAPSHOT_TRIGGERS = ['api', 'cli', 'job', 'package'] as const;
export const ReadinessSnapshotSummary = z.object({
  id: Uuid,
  takenAt: IsoDateTime,
  trigger: z.enum(SNAPSHOT_TRIGGERS),
  takenBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  environment: DeployEnvironmentSchema,
  verdict: z.enum(VERDICTS),
  counts: ReadinessReport.shape.counts,
});
export type ReadinessSnapshotSummary = z.infer<typeof ReadinessSnapshotSummary>;
export const ReadinessSnapshotList = z.object({
  items: z.array(ReadinessSnapshotSummary),
  nextCursor: z.string().nullable(),
});
export type ReadinessSnapshotList = z.infer<typeof ReadinessSnapshotList>;
export const ReadinessSnapshot = ReadinessSnapshotSummary.extend({ report: ReadinessReport });
export type ReadinessSnapshot = z.infer<typeof ReadinessSnapshot>;

const HttpsUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000, 'must be at most 2000 characters');

/** PUT a manual gate's attestation (optimistic concurrency: `version` is the one you read; omit to create). */
export const AttestationInput = refuseControlCharacters(
  z.strictObject({
    status: GateStatusSchema,
    owner: z.string().trim().min(1, 'is required').max(200),
    evidenceUrl: HttpsUrl,
    note: z.string().trim().max(2000).optional(),
    expiresAt: IsoDateTime.describe('When the attestation lapses (in the future, at most 366 days ahead)'),
    version: z.number().int().min(1).optional(),
  }),
);
export type AttestationInput = z.infer<typeof AttestationInput>;

export const Attestation = z.object({
  gateId: z.string(),
  status: GateStatusSchema,
  owner: z.string(),
  evidenceUrl: z.string(),
  note: z.string().nullable(),
  attestedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  attestedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  version: z.number().int(),
});
export type Attestation = z.infer<typeof Attestation>;

export const RECORD_KINDS = ['deployment_verification', 'rollback_drill'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export const RecordInput = refuseControlCharacters(
  z.strictObject({
    kind: z.enum(RECORD_KINDS),
    environment: DeployEnvironmentSchema,
    outcome: z.enum(['passed', 'failed']),
    performedAt: IsoDateTime.describe('When it was done (not in the future)'),
    evidenceUrl: HttpsUrl.optional(),
    notes: z.string().trim().max(2000).optional(),
  }),
);
export type RecordInput = z.infer<typeof RecordInput>;
export const ReadinessRecord = z.object({
  id: Uuid,
  kind: z.enum(RECORD_KINDS),
  environment: DeployEnvironmentSchema,
  outcome: z.enum(['passed', 'failed']),
  performedAt: IsoDateTime,
  recordedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  source: z.enum(['api', 'cli']),
  evidenceUrl: z.string().nullable(),
  notes: z.string().nullable(),
});
export type ReadinessRecord = z.infer<typeof ReadinessRecord>;
export const ReadinessRecordList = z.object({ items: z.array(ReadinessRecord) });
export type ReadinessRecordList = z.infer<typeof ReadinessRecordList>;

export const AttestationList = z.object({ items: z.array(Attestation) });
export type AttestationList = z.infer<typeof AttestationList>;
export const SnapshotListQuery = refuseControlCharacters(
  z.strictObject({
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  }),
);
export type SnapshotListQuery = z.infer<typeof SnapshotListQuery>;
export const RecordListQuery = refuseControlCharacters(
  z.strictObject({
    kind: z.enum(RECORD_KINDS).optional(),
    environment: DeployEnvironmentSchema.optional(),
  }),
);
export type RecordListQuery = z.infer<typeof RecordListQuery>;
export const AttestationRevokeQuery = refuseControlCharacters(
  z.strictObject({
    version: z.coerce.number().int().min(1).optional().describe('The version you read; a stale one is a 409'),
  }),
);
