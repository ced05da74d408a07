import { z } from 'zod';
import { IsoDate, IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';

/**
 * The audit log's integrity: the latest verification of the hash chain and its signed checkpoints, the head,
 * the last checkpoint, the signing key's id and the archives; "verify now"; and the OCSF JSON Lines export.
 * Admins only. Key material never appears in an answer (the key id is a name, not the key).
 */
export const VERIFICATION_TRIGGERS = ['job', 'cli', 'admin'] as const;

/** What the verifier can find (docs/operations/audit.md explains each). */
export const CHAIN_PROBLEM_KINDS = [
  'hash_mismatch',
  'broken_link',
  'checkpoint_signature_invalid',
  'checkpoint_chain_broken',
  'checkpoint_mismatch',
  'truncated',
  'archive_invalid',
] as const;

export const AuditVerification = z.object({
  id: Uuid,
  startedAt: IsoDateTime,
  finishedAt: IsoDateTime,
  trigger: z.enum(VERIFICATION_TRIGGERS),
  ok: z.boolean(),
  eventsChecked: z.number().int(),
  checkpointsChecked: z.number().int(),
  headSeq: z.number().int().nullable().describe('The newest event when the run started'),
  problemSeq: z.number().int().nullable().describe('The first bad sequence number (null when intact)'),
  problemKind: z.enum(CHAIN_PROBLEM_KINDS).nullable(),
  message: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const AuditCheckpointSummary = z.object({
  seq: z.number().int(),
  hash: z.string(),
  createdAt: IsoDateTime,
  keyId: z.string(),
});

export const AuditIntegrity = z.object({
  latestVerification: AuditVerification.nullable().describe('null: the chain was never verified'),
  head: z
    .object({ seq: z.number().int(), hash: z.string(), occurredAt: IsoDateTime })
    .nullable()
    .describe('The newest event (null: none in the table)'),
  lastCheckpoint: AuditCheckpointSummary.nullable(),
  checkpointCount: z.number().int(),
  signing: z.object({
    keyId: z
      .string()
      .nullable()
      .describe(
        'Id of the key that signs new checkpoints (null: none yet; one is generated outside production)',
      ),
    trustedKeyIds: z
      .array(z.string())
      .describe('Key ids whose checkpoints verify (signing key + AUDIT_VERIFY_KEYS)'),
    checkpointMinutes: z.number().int(),
  }),
  retention: z.object({
    hotDays: z.number().int(),
    archives: z.number().int(),
    archivedEvents: z.number().int(),
    lastArchivedSeq: z.number().int().nullable(),
    lastArchivedAt: IsoDateTime.nullable(),
    prunedThroughSeq: z
      .number()
      .int()
      .nullable()
      .describe('Events up to here were pruned from the database (kept in archive files)'),
  }),
});
export type AuditIntegrity = z.infer<typeof AuditIntegrity>;

export const AuditVerifyResult = z.object({
  verification: AuditVerification,
  lastCheckpoint: AuditCheckpointSummary.nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

const DateOrDateTime = z.union([IsoDate, IsoDateTime], {
  error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time',
});

export const AuditExportQuery = refuseControlCharacters(
  z.strictObject({
    from: DateOrDateTime.optional().describe(
      'Events at or after this instant; a date means 00:00 UTC that day',
    ),
    to: DateOrDateTime.optional().describe(
      'Events before this instant; a date includes that whole day (UTC). Omitted: up to the head',
    ),
  }),
);
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;
