import { z } from 'zod';
import { Cursor, IsoDateTime, PageLimit, RoleSchema, refuseControlCharacters, Uuid } from './common.ts';
import { RuleSetSpec, ScopeKindSchema } from './entitlements.ts';

/**
 * Changing the entitlement rules (versioned, previewed, approved by a second admin) and time-bound access
 * exceptions (requested with a justification, approved by someone else, always expiring).
 */

/** ENTITLEMENT_RULES_APPROVAL: whether a rule change waits for a second admin. */
export const RULES_APPROVAL_POLICIES = ['second_admin', 'single_admin'] as const;
export type RulesApprovalPolicy = (typeof RULES_APPROVAL_POLICIES)[number];

/** EXCEPTION_APPROVERS: who, besides admins, may approve an access exception. */
export const EXCEPTION_APPROVER_POLICIES = ['admin_or_manager', 'admin'] as const;
export type ExceptionApproverPolicy = (typeof EXCEPTION_APPROVER_POLICIES)[number];

const PersonRef = z.object({ id: Uuid, name: z.string() });

// --- Rules -------------------------------------------------------------------------------------------

export const RULE_SET_STATUSES = ['pending', 'active', 'superseded', 'rejected'] as const;
/** A preview lists at most this many people; the totals always count everyone. */
export const RULE_PREVIEW_MAX_CHANGES = 500;

const reasonText = z.string().trim().min(5, 'say why, in a few words').max(500);
const noteText = z.string().trim().min(1, 'must explain the decision').max(500);

export const RulePreviewRequest = refuseControlCharacters(z.strictObject({ spec: RuleSetSpec }));
export type RulePreviewRequest = z.infer<typeof RulePreviewRequest>;

export const RuleSetChange = refuseControlCharacters(
  z.strictObject({ spec: RuleSetSpec, reason: reasonText }),
);
export type RuleSetChange = z.infer<typeof RuleSetChange>;

export const RuleSetApproval = refuseControlCharacters(z.strictObject({}));
export const RuleSetRejection = refuseControlCharacters(z.strictObject({ note: noteText }));

export const AccessSummary = z.object({
  role: RoleSchema.nullable().describe('null: no access at all'),
  scopeLabel: z.string(),
});

export const AccessChange = z.object({
  person: z.object({ id: Uuid, name: z.string(), email: z.string() }),
  before: AccessSummary,
  after: AccessSummary,
  gained: z.array(z.string()).describe('Entitlements (their reasons) the person gains'),
  lost: z.array(z.string()).describe('Entitlements (their reasons) the person loses'),
});
export type AccessChange = z.infer<typeof AccessChange>;

export const PreviewTotals = z.object({
  evaluated: z.number().int().describe('Non-deactivated people evaluated under both rule sets'),
  changed: z.number().int().describe('People whose role, scope or entitlements change'),
  gains: z.number().int().describe('People who gain at least one entitlement'),
  losses: z.number().int().describe('People who lose at least one entitlement'),
  accessGranted: z.number().int().describe('People without access today who would have it'),
  accessRemoved: z.number().int().describe('People with access today who would have none'),
  roleRaised: z.number().int(),
  roleLowered: z.number().int(),
  scopeChanged: z.number().int().describe('People who keep access but whose reporting scope changes'),
});
export type PreviewTotals = z.infer<typeof PreviewTotals>;

export const RulePreview = z.object({
  baseVersion: z.number().int().describe('The active version the proposal is compared with'),
  changedRules: z
    .array(z.string())
    .describe('Rule ids added, removed or changed (and teamGroupPrefix when it changes)'),
  totals: PreviewTotals,
  changes: z.array(AccessChange).describe(`At most ${RULE_PREVIEW_MAX_CHANGES} people, by name`),
  truncated: z.boolean().describe('More people change than are listed'),
  blockers: z
    .array(z.string())
    .describe('Why the proposal would be refused as it stands (empty: it can be proposed)'),
});
export type RulePreview = z.infer<typeof RulePreview>;

export const RuleSetVersion = z.object({
  version: z.number().int(),
  status: z.enum(RULE_SET_STATUSES),
  spec: RuleSetSpec,
  reason: z.string(),
  createdBy: PersonRef.nullable().describe('null: the system (initial configuration)'),
  createdAt: IsoDateTime,
  approvedBy: PersonRef.nullable().describe('The second admin; null when approval was not required'),
  approvedAt: IsoDateTime.nullable(),
  activatedAt: IsoDateTime.nullable(),
  proposal: z
    .object({
      changedRules: z.array(z.string()),
      gains: z.number().int(),
      losses: z.number().int(),
      needsApproval: z.boolean(),
    })
    .nullable()
    .describe('The preview totals recorded when the version was proposed (null for the initial version)'),
  rejection: z
    .object({ by: PersonRef.nullable(), at: IsoDateTime, note: z.string().nullable() })
    .nullable()
    .describe('Who rejected or withdrew it, when and why (a newer proposal withdraws a pending one)'),
});
export type RuleSetVersion = z.infer<typeof RuleSetVersion>;

export const RuleSetOverview = z.object({
  approvalPolicy: z.enum(RULES_APPROVAL_POLICIES),
  active: RuleSetVersion,
  pending: RuleSetVersion.nullable(),
  versions: z.array(RuleSetVersion).describe('Recent versions, newest first, pending and rejected included'),
});
export type RuleSetOverview = z.infer<typeof RuleSetOverview>;

export const RuleSetProposed = z.object({ version: RuleSetVersion, preview: RulePreview });
export type RuleSetProposed = z.infer<typeof RuleSetProposed>;

// --- Exceptions --------------------------------------------------------------------------------------

export const EXCEPTION_STATUSES = ['requested', 'active', 'rejected', 'expired', 'revoked'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];
/** An exception never lasts longer than this. */
export const EXCEPTION_MAX_DAYS = 90;
/** Open (requested or active) exceptions one person may have at a time. */
export const EXCEPTION_MAX_OPEN_PER_PERSON = 10;

export const ExceptionCreate = refuseControlCharacters(
  z.strictObject({
    subjectId: Uuid.describe('Who receives the access'),
    role: RoleSchema,
    scopeKind: ScopeKindSchema,
    scopeTarget: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .describe(
        "team: a team name; tree: the manager's person id; org_unit: a department; empty: the subject's own (self and all take none)",
      ),
    justification: z
      .string()
      .trim()
      .min(20, 'must be at least 20 characters: say why the access is needed')
      .max(1000),
    expiresAt: IsoDateTime.describe(`In the future, at most ${EXCEPTION_MAX_DAYS} days from now`),
  }),
);
export type ExceptionCreate = z.infer<typeof ExceptionCreate>;

export const ExceptionApprove = refuseControlCharacters(
  z.strictObject({ note: z.string().trim().min(1).max(500).optional() }),
);
export const ExceptionReject = refuseControlCharacters(z.strictObject({ note: noteText }));
export const ExceptionRevoke = refuseControlCharacters(
  z.strictObject({
    reason: z.string().trim().min(3, 'say why, in a few words').max(500),
  }),
);

export const ExceptionListQuery = refuseControlCharacters(
  z.strictObject({
    status: z.enum(EXCEPTION_STATUSES).optional(),
    subjectId: Uuid.optional(),
    limit: PageLimit,
    cursor: Cursor.optional().describe('nextCursor of the previous page'),
  }),
);

export const AccessException = z.object({
  id: Uuid,
  subject: z.object({ id: Uuid, name: z.string(), email: z.string() }),
  role: RoleSchema,
  scopeKind: ScopeKindSchema,
  scopeTarget: z.string().nullable(),
  scopeLabel: z.string(),
  justification: z.string(),
  status: z
    .enum(EXCEPTION_STATUSES)
    .describe(
      'An active exception or an undecided request past its expiry is reported expired, even before the expiry job runs',
    ),
  requestedBy: PersonRef,
  requestedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  daysLeft: z.number().int().nullable().describe('Whole days (rounded up) until expiry; active only'),
  decidedBy: PersonRef.nullable(),
  decidedAt: IsoDateTime.nullable(),
  decisionNote: z.string().nullable(),
  revokedBy: PersonRef.nullable(),
  revokedAt: IsoDateTime.nullable(),
  revokeReason: z.string().nullable(),
  allowed: z
    .object({
      decide: z
        .boolean()
        .describe('You may approve or reject it now (a manager is also held to their own scope)'),
      revoke: z.boolean().describe('You may revoke it now'),
    })
    .describe('What the caller may do with it, as the policy decides (the UI shows only these actions)'),
});
export type AccessException = z.infer<typeof AccessException>;

export const AccessExceptionPage = z.object({
  items: z.array(AccessException),
  nextCursor: z.string().nullable(),
});
export type AccessExceptionPage = z.infer<typeof AccessExceptionPage>;
