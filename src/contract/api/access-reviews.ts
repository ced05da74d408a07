import { z } from 'zod';
import { Cursor, IsoDateTime, PageLimit, refuseControlCharacters, Uuid } from './common.ts';
import { ENTITLEMENT_SOURCES, Entitlement } from './entitlements.ts';

/**
 * Access review campaigns: every entitlement of a population of people, one item per person × entitlement ×
 * source, each decided (keep or revoke, with a comment) by the person's manager or, failing that, an admin —
 * never by the person themselves. Revocations are remediated at once (exceptions) or become removal requests
 * for the IdP or HR system. A closed campaign has a report (canonical JSON and CSV) whose hashes are in the
 * audit chain.
 */
export const ACCESS_REVIEW_KINDS = ['privileged', 'builder_relations', 'custom'] as const;
export const ACCESS_REVIEW_DECISIONS = ['keep', 'revoke'] as const;
export const ACCESS_REVIEW_REMEDIATIONS = ['none', 'exception_revoked', 'removal_requested'] as const;

export const ACCESS_REVIEW_LIMITS = {
  name: 200,
  comment: 1000,
  /** A revocation says why, in at least this many characters. */
  revokeCommentMin: 5,
  customPeople: 1000,
  maxDueDays: 90,
  note: 1000,
} as const;

const unique = (ids: readonly string[]) => new Set(ids).size === ids.length;

export const AccessReviewCreate = refuseControlCharacters(
  z
    .strictObject({
      name: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(ACCESS_REVIEW_LIMITS.name, `must be at most ${ACCESS_REVIEW_LIMITS.name} characters`),
      kind: z
        .enum(ACCESS_REVIEW_KINDS)
        .describe(
          'privileged: everyone whose effective role is manager or admin, or who holds an exception. ' +
            'builder_relations: everyone the org source marks as Builder Relations, or whose effective role is ' +
            'advocate or above (from a rule or an exception). custom: the people listed in personIds.',
        ),
      personIds: z
        .array(Uuid)
        .min(1, 'must list at least one person')
        .max(
          ACCESS_REVIEW_LIMITS.customPeople,
          `must list at most ${ACCESS_REVIEW_LIMITS.customPeople} people`,
        )
        .refine(unique, 'must not repeat a person')
        .optional()
        .describe('custom campaigns only: the people to review'),
      dueAt: IsoDateTime.describe(
        `When reviewers must have decided: in the future, at most ${ACCESS_REVIEW_LIMITS.maxDueDays} days ahead`,
      ),
    })
    .superRefine((body, ctx) => {
      if (body.kind === 'custom' && !body.personIds)
        ctx.addIssue({ code: 'custom', path: ['personIds'], message: 'is required for a custom campaign' });
      if (body.kind !== 'custom' && body.personIds)
        ctx.addIssue({
          code: 'custom',
          path: ['personIds'],
          message: `only a custom campaign lists people; a ${body.kind} campaign computes its population`,
        });
    }),
);
export type AccessReviewCreate = z.input<typeof AccessReviewCreate>;

export const PersonRef = z.object({ id: Uuid, name: z.string() });

export const AccessReviewProgress = z.object({
  total: z.number().int(),
  kept: z.number().int(),
  revoked: z.number().int(),
  undecided: z.number().int(),
  reviewers: z.number().int(),
});

export const AccessReviewCampaign = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(ACCESS_REVIEW_KINDS),
  status: z.enum(['open', 'closed']),
  dueAt: IsoDateTime,
  overdue: z.boolean().describe('Open and past its due date'),
  createdBy: PersonRef,
  createdAt: IsoDateTime,
  closedBy: PersonRef.nullable(),
  closedAt: IsoDateTime.nullable(),
  reportSha256: z
    .string()
    .nullable()
    .describe('SHA-256 (hex) of the canonical JSON report, set when the campaign closes'),
  progress: AccessReviewProgress.describe(
    "Admins: the whole campaign's items. A reviewer: only the items they review.",
  ),
});
export type AccessReviewCampaign = z.infer<typeof AccessReviewCampaign>;

export const AccessReviewCampaignPage = z.object({
  items: z.array(AccessReviewCampaign),
  nextCursor: z.string().nullable(),
});
export type AccessReviewCampaignPage = z.infer<typeof AccessReviewCampaignPage>;

export const AccessReviewItem = z.object({
  id: Uuid,
  campaign: z.object({ id: Uuid, name: z.string(), status: z.enum(['open', 'closed']), dueAt: IsoDateTime }),
  subject: PersonRef.extend({ email: z.string() }),
  reviewer: PersonRef,
  entitlement: Entitlement.describe('The entitlement as it was when the campaign started, with its reason'),
  source: z.enum(ENTITLEMENT_SOURCES),
  decision: z.enum(ACCESS_REVIEW_DECISIONS).nullable(),
  comment: z.string().nullable(),
  decidedBy: PersonRef.nullable(),
  decidedAt: IsoDateTime.nullable(),
  remediation: z.enum(ACCESS_REVIEW_REMEDIATIONS).nullable(),
  lastRemindedAt: IsoDateTime.nullable().describe('When the reminders job last flagged this item'),
  overdue: z.boolean().describe('Undecided, and the campaign is open and past its due date'),
});
export type AccessReviewItem = z.infer<typeof AccessReviewItem>;

export const AccessReviewItemPage = z.object({
  items: z.array(AccessReviewItem),
  nextCursor: z.string().nullable(),
});
export type AccessReviewItemPage = z.infer<typeof AccessReviewItemPage>;

export const AccessReviewListQuery = refuseControlCharacters(
  z.strictObject({
    status: z.enum(['open', 'closed']).optional(),
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);

export const AccessReviewItemsQuery = refuseControlCharacters(
  z.strictObject({
    state: z
      .enum(['open', 'decided', 'all'])
      .default('all')
      .describe('open: undecided; decided: kept or revoked'),
    reviewerId: Uuid.optional().describe(
      'Only items this person reviews (admins; a reviewer sees only theirs)',
    ),
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);

export const AccessReviewInboxQuery = refuseControlCharacters(
  z.strictObject({
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);

export const AccessReviewDecision = refuseControlCharacters(
  z
    .strictObject({
      decision: z.enum(ACCESS_REVIEW_DECISIONS),
      comment: z
        .string()
        .trim()
        .max(ACCESS_REVIEW_LIMITS.comment, `must be at most ${ACCESS_REVIEW_LIMITS.comment} characters`)
        .optional()
        .describe(`Required to revoke (at least ${ACCESS_REVIEW_LIMITS.revokeCommentMin} characters)`),
    })
    .superRefine((body, ctx) => {
      if (body.decision === 'revoke' && (body.comment ?? '').length < ACCESS_REVIEW_LIMITS.revokeCommentMin)
        ctx.addIssue({
          code: 'custom',
          path: ['comment'],
          message: `must say why, in at least ${ACCESS_REVIEW_LIMITS.revokeCommentMin} characters, to revoke`,
        });
    }),
);
export type AccessReviewDecision = z.input<typeof AccessReviewDecision>;

export const AccessReviewClose = refuseControlCharacters(
  z.strictObject({
    force: z
      .boolean()
      .default(false)
      .describe('Close with undecided items (they are recorded as undecided); needs a note'),
    note: z
      .string()
      .trim()
      .max(ACCESS_REVIEW_LIMITS.note, `must be at most ${ACCESS_REVIEW_LIMITS.note} characters`)
      .optional()
      .describe('Why the campaign closes with undecided items (required with force when any are undecided)'),
  }),
);
export type AccessReviewClose = z.input<typeof AccessReviewClose>;

export const RemovalRequest = z.object({
  id: Uuid,
  itemId: Uuid,
  campaign: z.object({ id: Uuid, name: z.string() }),
  subject: PersonRef,
  source: z.enum(['idp_group', 'org']),
  detail: z
    .string()
    .describe('What to remove where, e.g. "Remove Maya Patel from IdP group bi-managers (rule R2)"'),
  status: z.enum(['open', 'done']),
  createdAt: IsoDateTime,
  resolvedBy: PersonRef.nullable(),
  resolvedAt: IsoDateTime.nullable(),
});
export type RemovalRequest = z.infer<typeof RemovalRequest>;

export const RemovalRequestPage = z.object({
  items: z.array(RemovalRequest),
  nextCursor: z.string().nullable(),
});
export type RemovalRequestPage = z.infer<typeof RemovalRequestPage>;

export const RemovalRequestQuery = refuseControlCharacters(
  z.strictObject({
    status: z.enum(['open', 'done', 'all']).default('open'),
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);

export const RemovalResolve = refuseControlCharacters(
  z.strictObject({
    note: z
      .string()
      .trim()
      .max(ACCESS_REVIEW_LIMITS.note, `must be at most ${ACCESS_REVIEW_LIMITS.note} characters`)
      .optional()
      .describe('What was done, e.g. the IdP change ticket'),
  }),
);
