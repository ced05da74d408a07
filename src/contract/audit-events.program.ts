import { z } from 'zod';

/**
 * Audit events of program operations: events and sessions, PMO imports and the column aliases they teach,
 * public feedback forms and their responses, the weekly Slack digest and bug triage. Part of the one catalog
 * (audit-events.ts); kept apart to keep files small.
 */
const importCounts = z.object({
  totalRows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.number().int(),
  blank: z.number().int(),
  duplicateInFile: z.number().int(),
});

export const PROGRAM_AUDIT_EVENTS = {
  'event.created': {
    targetType: 'event',
    description: 'An event was created (by hand, or by a PMO import when importId is set).',
    details: z.object({
      name: z.string(),
      startsOn: z.string(),
      ownerId: z.string().nullable(),
      importId: z.string().optional(),
    }),
  },
  'event.updated': {
    targetType: 'event',
    description:
      'An event was edited (optimistic concurrency: fromVersion was the version the edit started from); ' +
      'changed names the fields, assignments included.',
    details: z.object({
      fromVersion: z.number().int(),
      toVersion: z.number().int(),
      changed: z.array(z.string()),
      importId: z.string().optional(),
    }),
  },
  'event.deleted': {
    targetType: 'event',
    description: 'An event without linked insights or forms was deleted (with its sessions and assignments).',
    details: z.object({ name: z.string(), startsOn: z.string() }),
  },
  'event_session.created': {
    targetType: 'event_session',
    description: 'A session was added to an event.',
    details: z.object({ eventId: z.string(), title: z.string() }),
  },
  'event_session.updated': {
    targetType: 'event_session',
    description: 'A session was edited (optimistic concurrency, like events).',
    details: z.object({
      eventId: z.string(),
      fromVersion: z.number().int(),
      toVersion: z.number().int(),
      changed: z.array(z.string()),
    }),
  },
  'event_session.deleted': {
    targetType: 'event_session',
    description: 'A session without linked insights was removed from its event.',
    details: z.object({ eventId: z.string(), title: z.string() }),
  },
  'event_import.uploaded': {
    targetType: 'event_import',
    description:
      'A PMO spreadsheet was uploaded for preview (nothing is imported yet); counts are what applying it would do.',
    details: importCounts.extend({ fileName: z.string(), fileSha256: z.string() }),
  },
  'event_import.remapped': {
    targetType: 'event_import',
    description: 'The column mapping of a previewed import changed (header → field, null = ignored).',
    details: z.object({ changed: z.record(z.string(), z.string().nullable()) }),
  },
  'event_import.applied': {
    targetType: 'event_import',
    description:
      'A PMO spreadsheet import was applied, with its row counts (each created or changed event also has its ' +
      'own event.created / event.updated carrying the importId).',
    details: importCounts.extend({ fileName: z.string(), fileSha256: z.string() }),
  },
  'event_import.failed': {
    targetType: 'event_import',
    description:
      'Applying a PMO import stopped. Rows of the chunks already written stay (processedRows says how many); ' +
      'applying it again resumes there.',
    details: z.object({ fileName: z.string(), reason: z.string(), processedRows: z.number().int() }),
  },
  'import_alias.learned': {
    targetType: 'import_alias',
    description:
      'A column header spelling was learned from a confirmed import mapping (or changed its field).',
    details: z.object({
      header: z.string(),
      field: z.string(),
      previousField: z.string().nullable(),
      importId: z.string(),
    }),
  },
  'import_alias.deleted': {
    targetType: 'import_alias',
    description: 'An admin forgot a learned column alias.',
    details: z.object({ header: z.string(), field: z.string() }),
  },
  'form.created': {
    targetType: 'form',
    description: 'A feedback form was created.',
    details: z.object({ slug: z.string(), template: z.string(), eventId: z.string().nullable() }),
  },
  'form.updated': {
    targetType: 'form',
    description: 'A feedback form was edited, opened or closed (changed names the fields).',
    details: z.object({
      fromVersion: z.number().int(),
      toVersion: z.number().int(),
      changed: z.array(z.string()),
      status: z.string(),
    }),
  },
  'form.deleted': {
    targetType: 'form',
    description: 'A feedback form without responses was deleted.',
    details: z.object({ slug: z.string() }),
  },
  'form.response_received': {
    targetType: 'form',
    description:
      'Someone submitted the public form (no actor: the sender is anonymous); the response became an insight.',
    details: z.object({ responseId: z.string(), insightId: z.string(), responseCount: z.number().int() }),
  },
  'digest.sent': {
    targetType: 'system',
    description: 'The weekly Slack digest was posted (by the schedule, or "send now" by a manager or admin).',
    details: z.object({
      runId: z.string(),
      trigger: z.enum(['schedule', 'manual']),
      periodStart: z.string(),
      periodEnd: z.string(),
      httpStatus: z.number().int(),
      payloadSha256: z.string(),
    }),
  },
  'digest.failed': {
    targetType: 'system',
    description: 'Posting the weekly Slack digest failed (Slack refused it or could not be reached).',
    details: z.object({
      runId: z.string(),
      trigger: z.enum(['schedule', 'manual']),
      periodStart: z.string(),
      reason: z.string(),
      httpStatus: z.number().int().nullable(),
    }),
  },
  'bug_report.updated': {
    targetType: 'bug_report',
    description: 'An admin changed the priority or the assignee of a bug report.',
    details: z.object({
      fromVersion: z.number().int(),
      toVersion: z.number().int(),
      changed: z.array(z.string()),
    }),
  },
  'bug_report.note_added': {
    targetType: 'bug_report',
    description: 'An admin added a note to the triage thread of a bug report.',
    details: z.object({ noteId: z.string() }),
  },
} as const satisfies Record<string, { targetType: string; description: string; details: z.ZodType }>;
