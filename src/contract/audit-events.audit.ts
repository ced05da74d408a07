import { z } from 'zod';

/**
 * Audit events about the audit log itself: verification runs an admin started, exports, archiving and pruning.
 * Part of the one catalog (audit-events.ts). Checkpoints are not audited (each would move the head it signs);
 * they are their own signed, append-only record (audit_checkpoints). Scheduled and CLI verification runs are
 * recorded in audit_verifications.
 */
const segment = {
  firstSeq: z.number().int(),
  lastSeq: z.number().int(),
  eventCount: z.number().int(),
  sha256: z.string().describe('SHA-256 of the archive file (hex)'),
  file: z.string().describe('The archive file name (in AUDIT_ARCHIVE_DIR)'),
};

export const AUDIT_LOG_AUDIT_EVENTS = {
  'audit.verified': {
    targetType: 'audit_log',
    description:
      'An admin verified the audit chain and its signed checkpoints (outcome failure = the chain is broken).',
    details: z.object({
      verificationId: z.string(),
      eventsChecked: z.number().int(),
      checkpointsChecked: z.number().int(),
      headSeq: z.number().int().nullable(),
      problemSeq: z.number().int().nullable(),
      problemKind: z.string().nullable(),
    }),
  },
  'audit.exported': {
    targetType: 'audit_log',
    description: 'The audit log was exported as OCSF JSON Lines (a date range, up to a sequence number).',
    details: z.object({
      via: z.enum(['api', 'cli']),
      from: z
        .string()
        .nullable()
        .describe('Start of the range (inclusive, ISO); null = from the first event'),
      to: z.string().nullable().describe('End of the range (exclusive, ISO); null = up to the head'),
      throughSeq: z
        .number()
        .int()
        .nullable()
        .describe('The head when the export started: nothing newer is in it'),
      count: z.number().int(),
    }),
  },
  'audit.archived': {
    targetType: 'audit_archive',
    description:
      'Events older than the hot period were written to a signed archive segment (OCSF JSON Lines).',
    details: z.object(segment),
  },
  'audit.pruned': {
    targetType: 'audit_archive',
    description:
      'Archived events were deleted from the database (`bi audit prune`, owner credentials); the archive remains.',
    details: z.object(segment),
  },
} as const satisfies Record<string, { targetType: string; description: string; details: z.ZodType }>;
