import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { Cursor, IsoDateTime, PageLimit, Uuid } from './common.ts';

export const BUG_STATUSES = ['new', 'triaged', 'in_progress', 'resolved', 'wont_fix'] as const;
export type BugStatus = (typeof BUG_STATUSES)[number];
export const BUG_STATUS_LABEL: Record<BugStatus, string> = {
  new: 'New',
  triaged: 'Triaged',
  in_progress: 'In progress',
  resolved: 'Resolved',
  wont_fix: "Won't fix",
};

export const SCREENSHOT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

const deviceValue = z.union([z.string().max(LIMITS.bugDeviceValue), z.number(), z.boolean()]);

/** A bug report from the capture app (queued offline like a capture; the client id makes a resend a no-op). */
export const BugReportCreate = z.strictObject({
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
});
export type BugReportCreate = z.input<typeof BugReportCreate>;

export const BugReport = z.object({
  id: Uuid,
  reporter: z.object({ id: Uuid, name: z.string() }),
  description: z.string(),
  screen: z.string(),
  appVersion: z.string(),
  device: z.record(z.string(), deviceValue),
  hasScreenshot: z.boolean(),
  screenshotUrl: z.string().nullable(),
  status: z.enum(BUG_STATUSES),
  triageNote: z.string().nullable(),
  triagedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  triagedAt: IsoDateTime.nullable(),
  reportedAt: IsoDateTime,
  createdAt: IsoDateTime,
});
export type BugReport = z.infer<typeof BugReport>;

export const BugReportReceipt = z.object({ id: Uuid, status: z.enum(BUG_STATUSES), createdAt: IsoDateTime });

export const BugReportListQuery = z.strictObject({
  status: z.enum(BUG_STATUSES).optional(),
  limit: PageLimit,
  cursor: Cursor.optional(),
});

export const BugReportPage = z.object({
  items: z.array(BugReport),
  nextCursor: z.string().nullable(),
  counts: z.array(z.object({ status: z.enum(BUG_STATUSES), count: z.number().int() })),
});
export type BugReportPage = z.infer<typeof BugReportPage>;

export const BugReportTriage = z.strictObject({
  status: z.enum(BUG_STATUSES),
  note: z.string().trim().max(LIMITS.noteBody).nullable().optional(),
});
export type BugReportTriage = z.input<typeof BugReportTriage>;
