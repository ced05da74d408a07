import { z } from 'zod';
import { IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';

/** Break-glass administration: status, approvals of requests made while the IdP is up, post-use reviews. */
export const BREAK_GLASS_MODES = ['idp_unreachable', 'approved'] as const;
export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'used', 'expired'] as const;
export const REVIEW_STATUSES = ['open', 'closed'] as const;

export const BreakGlassPrincipal = z.object({
  id: Uuid,
  name: z.string(),
  status: z.enum(['active', 'revoked']),
  enrolledAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  lastDrillAt: IsoDateTime.nullable(),
  lockedUntil: IsoDateTime.nullable().describe('Set while the principal is locked after failed attempts'),
  revokedAt: IsoDateTime.nullable(),
});
export type BreakGlassPrincipal = z.infer<typeof BreakGlassPrincipal>;

export const BreakGlassApproval = z.object({
  id: Uuid,
  principal: z.string(),
  reason: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  requestedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  decidedBy: Uuid.nullable(),
  decidedAt: IsoDateTime.nullable(),
});
export type BreakGlassApproval = z.infer<typeof BreakGlassApproval>;

export const BreakGlassUse = z.object({
  id: Uuid,
  principal: z.string(),
  mode: z.enum(BREAK_GLASS_MODES),
  approvalId: Uuid.nullable(),
  reason: z.string(),
  startedAt: IsoDateTime,
  endsAt: IsoDateTime,
  reviewStatus: z.enum(REVIEW_STATUSES),
  reviewedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  reviewedAt: IsoDateTime.nullable(),
  reviewNotes: z.string().nullable(),
});
export type BreakGlassUse = z.infer<typeof BreakGlassUse>;

export const BreakGlassStatus = z.object({
  principals: z.array(BreakGlassPrincipal),
  idp: z.object({
    reachable: z.boolean().nullable().describe('null until the app has contacted the identity provider'),
    lastSuccessAt: IsoDateTime.nullable(),
    lastFailureAt: IsoDateTime.nullable(),
    failingSince: IsoDateTime.nullable(),
    lastError: z.string().nullable(),
  }),
  gate: z.object({
    open: z.boolean().describe('Break-glass opens now without an approval (the IdP outage is long enough)'),
    mode: z.enum(BREAK_GLASS_MODES).nullable(),
    why: z.string(),
  }),
  settings: z.object({
    idpDownMinutes: z.number().int(),
    sessionMinutes: z.number().int(),
    webhookConfigured: z.boolean(),
  }),
  approvals: z.array(BreakGlassApproval).describe('Pending requests and approved, unused approvals'),
  openReviews: z.number().int(),
});
export type BreakGlassStatus = z.infer<typeof BreakGlassStatus>;

export const BreakGlassUseQuery = refuseControlCharacters(
  z.strictObject({ review: z.enum(REVIEW_STATUSES).optional() }),
);
export const BreakGlassUseList = z.object({ items: z.array(BreakGlassUse) });
export type BreakGlassUseList = z.infer<typeof BreakGlassUseList>;

export const BreakGlassDecision = refuseControlCharacters(z.strictObject({}));
export const BreakGlassReviewClose = refuseControlCharacters(
  z.strictObject({
    notes: z
      .string()
      .trim()
      .min(10, 'must say what was done and whether it was justified (at least 10 characters)')
      .max(2000, 'must be at most 2000 characters'),
  }),
);
