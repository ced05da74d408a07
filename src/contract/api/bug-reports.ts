import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { Problem } from '../problem.ts';
import { Cursor, IsoDateTime, PageLimit, refuseControlCharacters, Uuid } from './common.ts';

export const BUG_STATUSES = ['new', 'triaged', 'in_progress', 'resolved', 'wont_fix'] as const;
export type BugStatus = (typeof BUG_STATUSES)[number];
export const BUG_STATUS_LABEL: Record<BugStatus, string> = {
  new: 'New',
  triaged: 'Triaged',
  in_progress: 'In progress',
  resolved: 'Resolved',
  wont_fix: "Won't fix",
};

export const BUG_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type BugPriority = (typeof BUG_PRIORITIES)[number];
export const BUG_PRIORITY_LABEL: Record<BugPriority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const SCREENSHOT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

const deviceValue = z.union([z.string().max(LIMITS.bugDeviceValue), z.number(), z.boolean()]);

/** A bug report from the capture app (queued offline like a capture; the client id makes a resend a no-op). */
export const BugReportCreate = refuseControlCharacters(
  z.strictObject({
    id: Uuid,
    description: z.string().trim().min(1, 'must not be empty').max(LIMITS.bugDescription),
    screen: z.string().trim().min(1).max(50).describe('The tab or screen it was reported from'),
    appVersion: z.string().min(1).max(LIMITS.appVersion),
    device: z
      .record(z.string().max(50), deviceValue)
      .refine((device) => Object.keys(device).length <= LIMITS.bugDeviceFields, {
        message: `must have at most ${LIMITS.bugDeviceFields} fields`,
      })
      .describe('userAgent, platform, language, viewport, online… collected by the app'),
    reportedAt: IsoDateTime,
    screenshot: z
      .strictObject({
        contentType: z.enum(SCREENSHOT_TYPES),
        base64: z
          .string()
          .max(Math.ceil((LIMITS.bugScreenshotBytes * 4) / 3) + 4, 'is larger than the screenshot limit')
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
      })
      .optional(),
  }),
);
export type BugReportCreate = z.input<typeof BugReportCreate>;

const PersonRef = z.object({ id: Uuid, name: z.string() });

/** One note of the triage thread (never edited in place). */
export const BugReportNote = z.object({
  id: Uuid,
  author: PersonRef,
  body: z.string(),
  createdAt: IsoDateTime,
});
export type BugReportNote = z.infer<typeof BugReportNote>;

export const BugReport = z.object({
  id: Uuid,
  reporter: PersonRef,
  description: z.string(),
  screen: z.string(),
  appVersion: z.string(),
  device: z.record(z.string(), deviceValue),
  hasScreenshot: z.boolean(),
  screenshotUrl: z.string().nullable(),
  status: z.enum(BUG_STATUSES),
  priority: z.enum(BUG_PRIORITIES).nullable().describe('null = not prioritised yet'),
  assignee: PersonRef.nullable(),
  version: z.number().int().describe('Send it back with a change; a stale version is a 409'),
  triagedBy: PersonRef.nullable().describe('Who last changed the status, priority or assignee'),
  triagedAt: IsoDateTime.nullable(),
  notes: z.array(BugReportNote).describe('The triage thread, oldest first (newest last)'),
  reportedAt: IsoDateTime,
  createdAt: IsoDateTime,
});
export type BugReport = z.infer<typeof BugReport>;

/** 409 on a stale triage edit: the report as it is now, to review and retry. */
export const BugReportConflict = Problem.extend({
  current: BugReport.nullable().optional().describe('The stored report as it is now'),
});

export const BugReportReceipt = z.object({ id: Uuid, status: z.enum(BUG_STATUSES), createdAt: IsoDateTime });

export const BugReportListQuery = refuseControlCharacters(
  z.strictObject({
    status: z.enum(BUG_STATUSES).optional(),
    priority: z
      .enum([...BUG_PRIORITIES, 'none'])
      .optional()
      .describe('none = not prioritised'),
    assignee: z
      .union([z.literal('me'), z.literal('none'), Uuid])
      .optional()
      .describe('me, none (unassigned) or a person id'),
    limit: PageLimit,
    cursor: Cursor.optional(),
  }),
);

export const BugReportPage = z.object({
  items: z.array(BugReport),
  nextCursor: z.string().nullable(),
  counts: z
    .array(z.object({ status: z.enum(BUG_STATUSES), count: z.number().int() }))
    .describe('Reports per status, whatever the filter'),
  priorityCounts: z
    .array(z.object({ priority: z.enum([...BUG_PRIORITIES, 'none']), count: z.number().int() }))
    .describe('Reports per priority (none = not prioritised), whatever the filter'),
});
export type BugReportPage = z.infer<typeof BugReportPage>;

/** A triage change: the version it started from, and at least one of status, priority, assignee. */
export const BugReportUpdate = refuseControlCharacters(
  z
    .strictObject({
      version: z.number().int().min(1),
      status: z.enum(BUG_STATUSES).optional(),
      priority: z.enum(BUG_PRIORITIES).nullable().optional().describe('null clears it'),
      assigneeId: Uuid.nullable().optional().describe('An active admin; null unassigns'),
    })
    .refine((u) => u.status !== undefined || u.priority !== undefined || u.assigneeId !== undefined, {
      message: 'must change status, priority or assigneeId',
    }),
);
export type BugReportUpdate = z.input<typeof BugReportUpdate>;

export const BugReportNoteCreate = refuseControlCharacters(
  z.strictObject({
    body: z.string().trim().min(1, 'must not be empty').max(LIMITS.noteBody),
  }),
);

export const BugReportNoteList = z.object({ items: z.array(BugReportNote) });

/** Who a report can be assigned to: the active admins (the people who triage). */
export const BugAssigneeList = z.object({ items: z.array(PersonRef) });
export type BugAssigneeList = z.infer<typeof BugAssigneeList>;
