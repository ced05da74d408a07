import { z } from 'zod';
import { BUG_STATUSES } from './api/bug-reports.ts';
import { ATTACHMENT_KIND_VALUES } from './api/capture.ts';
import { REACTION_KINDS } from './api/social.ts';

/**
 * Audit events of the field-capture app beyond the insight itself: attachments, reactions, team notes and bug
 * reports. Part of the one catalog (audit-events.ts); kept apart to keep files small. Client telemetry is
 * measurement, not a change anyone acts on, and is not audited.
 */
export const CAPTURE_AUDIT_EVENTS = {
  'insight.attachment_added': {
    targetType: 'insight',
    description: 'A photo or voice recording was attached to an insight (first upload of its client id).',
    details: z.object({
      attachmentId: z.string(),
      kind: z.enum(ATTACHMENT_KIND_VALUES),
      contentType: z.string(),
      byteSize: z.number().int(),
      sha256: z.string(),
    }),
  },
  'insight.reaction_added': {
    targetType: 'insight',
    description: 'Someone reacted to an insight.',
    details: z.object({ reaction: z.enum(REACTION_KINDS) }),
  },
  'insight.reaction_removed': {
    targetType: 'insight',
    description: 'Someone took back their reaction to an insight.',
    details: z.object({ reaction: z.enum(REACTION_KINDS) }),
  },
  'insight.note_added': {
    targetType: 'insight',
    description: 'A team note (or a reply to one) was added to an insight.',
    details: z.object({
      noteId: z.string(),
      parentId: z.string().nullable(),
      mentions: z.array(z.string()).optional().describe('Ids of the people @mentioned'),
    }),
  },
  'bug_report.submitted': {
    targetType: 'bug_report',
    description: 'A bug report was sent from the capture app (first write of its client id).',
    details: z.object({ screen: z.string(), appVersion: z.string(), hasScreenshot: z.boolean() }),
  },
  'bug_report.triaged': {
    targetType: 'bug_report',
    description:
      'An admin changed the status of a bug report (notes are bug_report.note_added; priority and assignee ' +
      'bug_report.updated). Events before version tracking carry `noted` instead of the versions.',
    details: z.object({
      fromStatus: z.enum(BUG_STATUSES),
      toStatus: z.enum(BUG_STATUSES),
      fromVersion: z.number().int(),
      toVersion: z.number().int(),
    }),
  },
} as const satisfies Record<string, { targetType: string; description: string; details: z.ZodType }>;
