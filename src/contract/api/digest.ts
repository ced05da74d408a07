import { z } from 'zod';
import { IsoDate, IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';

/**
 * The weekly Slack digest: what a manager or admin previews and sends, the runs so far, and whether a channel is
 * configured. The webhook URL (a credential) is never part of any answer.
 */
export const DIGEST_TRIGGERS = ['schedule', 'manual'] as const;
export const DIGEST_RUN_STATUSES = ['sending', 'sent', 'failed'] as const;

/** Slack's own limits (Block Kit): a message has at most 50 blocks; these are the texts we fill. */
export const SLACK_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000, fieldText: 2000, fields: 10 };

const Counted = z.object({ key: z.string(), label: z.string(), count: z.number().int() });

export const DigestStats = z.object({
  insights: z.object({
    current: z.number().int(),
    previous: z.number().int(),
    change: z.number().nullable().describe('(current - previous) / previous; null when previous is 0'),
  }),
  sentiment: z.array(Counted).describe('Every sentiment, zeros included'),
  topTypes: z.array(Counted).describe('The most frequent insight types of the week (up to 3, non-zero)'),
  themes: z.array(
    z.object({
      label: z.string(),
      current: z.number().int(),
      previous: z.number().int(),
      growth: z.number().nullable(),
    }),
  ),
  negative: z
    .array(
      z.object({
        id: Uuid,
        title: z.string().nullable(),
        excerpt: z.string(),
        priority: z.string(),
        url: z.string(),
      }),
    )
    .describe('Critical and high-priority negative insights of the week, newest first (up to 5)'),
  topEvents: z.array(z.object({ id: Uuid, name: z.string(), count: z.number().int() })),
});
export type DigestStats = z.infer<typeof DigestStats>;

export const DigestPeriod = z.object({
  start: IsoDate.describe('Monday of the ISO week (UTC)'),
  end: IsoDate.describe('Sunday of the ISO week (UTC)'),
  previousStart: IsoDate,
  previousEnd: IsoDate,
  label: z.string(),
});

/** A Slack Block Kit block, as posted (loosely typed: Slack defines the shapes). */
export const SlackBlock = z.object({ type: z.string() }).catchall(z.unknown());

export const DigestPreview = z.object({
  scopeLabel: z.string().describe('Whose insights the digest counts: the caller’s own scope'),
  period: DigestPeriod,
  dashboardUrl: z.string(),
  stats: DigestStats,
  blocks: z.array(SlackBlock).max(SLACK_LIMITS.blocks),
  text: z.string().describe('The plain-text fallback (notifications, screen readers)'),
  generatedAt: IsoDateTime,
});
export type DigestPreview = z.infer<typeof DigestPreview>;

export const DigestRun = z.object({
  id: Uuid,
  trigger: z.enum(DIGEST_TRIGGERS),
  periodStart: IsoDate,
  periodEnd: IsoDate,
  status: z.enum(DIGEST_RUN_STATUSES),
  httpStatus: z.number().int().nullable().describe("Slack's answer, when it answered"),
  error: z.string().nullable().describe('Why it failed: timeout, unreachable, http_status, invalid_response'),
  by: z
    .object({ id: Uuid, name: z.string() })
    .nullable()
    .describe('Who pressed "Send now"; null = the schedule'),
  createdAt: IsoDateTime,
  finishedAt: IsoDateTime.nullable(),
});
export type DigestRun = z.infer<typeof DigestRun>;

export const DigestRunList = z.object({ items: z.array(DigestRun) });
export type DigestRunList = z.infer<typeof DigestRunList>;

export const DigestRunsQuery = refuseControlCharacters(
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(20),
  }),
);

export const DigestSettings = z.object({
  configured: z.boolean().describe('A Slack webhook is configured (the URL itself is never shown)'),
  schedule: z.object({
    day: z.string().describe('monday … sunday'),
    hourUtc: z.number().int(),
    description: z.string(),
  }),
  maxAttempts: z.number().int().describe('Attempts of a scheduled week before it is left failed'),
});
export type DigestSettings = z.infer<typeof DigestSettings>;
