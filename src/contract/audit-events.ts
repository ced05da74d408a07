import { z } from 'zod';

/**
 * The audit event catalog. Every audited action is declared here once, with the shape of its details, so a
 * writer cannot invent an undocumented event and a reader (SIEM export, audit UI) knows every shape.
 * Details never carry secrets or tokens; personal data only where the event is meaningless without it.
 */
export const SIGN_IN_FAILURE_REASONS = [
  'idp_error',
  'idp_unreachable',
  'state_mismatch',
  'flow_expired',
  'token_invalid',
  'issuer_mismatch',
  'audience_mismatch',
  'nonce_mismatch',
  'token_expired',
  'algorithm_unexpected',
  'signature_invalid',
  'claims_missing',
  'email_unverified',
  'not_entitled',
  'person_deactivated',
  'step_up_subject_mismatch',
  'step_up_insufficient',
] as const;
export type SignInFailureReason = (typeof SIGN_IN_FAILURE_REASONS)[number];

/** Why a session ended, other than expiry (which is housekeeping, not audited). */
export const SESSION_END_REASONS = [
  'self',
  'admin',
  'universal_logout',
  'backchannel_logout',
  'access_removed',
  'deactivated',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export const BREAK_GLASS_FAILURE_REASONS = [
  'unknown_principal',
  'bad_secret',
  'bad_code',
  'code_replayed',
  'locked',
  'revoked',
  'idp_healthy',
  'no_approval',
  'already_active',
] as const;
export type BreakGlassFailureReason = (typeof BREAK_GLASS_FAILURE_REASONS)[number];

export const ORG_SOURCES = ['scim', 'hr'] as const;
export type OrgSource = (typeof ORG_SOURCES)[number];

const id = z.string();
const tokenDetails = {
  tokenId: id,
  kind: z.enum(['personal', 'service']),
  name: z.string(),
  scopes: z.array(z.string()),
};

export const AUDIT_CATALOG = {
  'auth.sign_in.succeeded': {
    targetType: 'person',
    description: 'A person completed SSO sign-in and a session was created.',
    details: z.object({ role: z.string(), amr: z.array(z.string()), sessionId: z.string() }),
  },
  'auth.sign_in.failed': {
    targetType: 'person',
    description: 'An SSO sign-in attempt was rejected.',
    details: z.object({
      reason: z.enum(SIGN_IN_FAILURE_REASONS),
      message: z.string().max(500),
      issuer: z.string().optional(),
      subject: z.string().optional(),
      idpError: z.string().max(100).optional(),
    }),
  },
  'auth.logout': {
    targetType: 'session',
    description: 'A person signed out; the session was deleted.',
    details: z.object({}),
  },
  'auth.step_up.succeeded': {
    targetType: 'session',
    description: 'A person re-authenticated (step-up) and the session met the MFA expectation again.',
    details: z.object({ amr: z.array(z.string()), acr: z.string().nullable() }),
  },
  'auth.session.access_changed': {
    targetType: 'session',
    description: "A session's role or scope followed a change of the person's org inputs; its token rotated.",
    details: z.object({ fromRole: z.string(), toRole: z.string(), claimsModelVersion: z.number() }),
  },
  'auth.session.ended': {
    targetType: 'session',
    description:
      'A session was ended before it expired (by its owner, an admin, a global logout or lost access).',
    details: z.object({ reason: z.enum(SESSION_END_REASONS), personId: id }),
  },
  'auth.global_logout': {
    targetType: 'person',
    description:
      'The identity provider asked for a global logout (Okta Universal Logout or OIDC back-channel logout).',
    details: z.object({
      mechanism: z.enum(['universal_logout', 'backchannel_logout']),
      sessionsEnded: z.number(),
      tokensRevoked: z.number(),
      jti: z.string().optional(),
      reason: z.string().max(300).optional(),
    }),
  },
  'claims_model.changed': {
    targetType: 'claims_model',
    description: 'A new version of the trusted-claims model became active.',
    details: z.object({
      version: z.number(),
      previousVersion: z.number().nullable(),
      reason: z.string(),
      changed: z.array(z.string()),
    }),
  },
  'claims_model.approved': {
    targetType: 'claims_model',
    description: 'A second admin approved the active trusted-claims model version.',
    details: z.object({ version: z.number() }),
  },
  'break_glass.enrolled': {
    targetType: 'break_glass_principal',
    description: 'A break-glass principal was provisioned out of band (`bi break-glass enroll`).',
    details: z.object({ name: z.string() }),
  },
  'break_glass.revoked': {
    targetType: 'break_glass_principal',
    description: 'A break-glass principal was revoked.',
    details: z.object({ name: z.string() }),
  },
  'break_glass.drilled': {
    targetType: 'break_glass_principal',
    description: 'A break-glass drill proved the path works, without granting access.',
    details: z.object({ name: z.string(), verified: z.boolean(), idpReachable: z.boolean() }),
  },
  'break_glass.sign_in.succeeded': {
    targetType: 'break_glass_use',
    description: 'A break-glass session was opened (alerted; opens a post-use review).',
    details: z.object({
      principal: z.string(),
      mode: z.enum(['idp_unreachable', 'approved']),
      reason: z.string(),
      endsAt: z.string(),
    }),
  },
  'break_glass.sign_in.failed': {
    targetType: 'break_glass_principal',
    description: 'A break-glass sign-in attempt was refused.',
    details: z.object({ principal: z.string().max(100), reason: z.enum(BREAK_GLASS_FAILURE_REASONS) }),
  },
  'break_glass.approval.requested': {
    targetType: 'break_glass_approval',
    description: 'A break-glass principal asked for a second admin to approve use while the IdP is up.',
    details: z.object({ principal: z.string(), reason: z.string() }),
  },
  'break_glass.approval.decided': {
    targetType: 'break_glass_approval',
    description: 'An admin approved or denied a break-glass request.',
    details: z.object({ principal: z.string(), decision: z.enum(['approved', 'denied']) }),
  },
  'break_glass.request': {
    targetType: 'route',
    description: 'A request made inside a break-glass session (every one is recorded).',
    details: z.object({ method: z.string(), route: z.string(), status: z.number(), useId: id }),
  },
  'break_glass.review.closed': {
    targetType: 'break_glass_use',
    description: 'An admin closed the post-use review of a break-glass session.',
    details: z.object({ notes: z.string().max(2000) }),
  },
  'api_token.created': {
    targetType: 'api_token',
    description: 'A personal API token was created (shown once).',
    details: z.object({ ...tokenDetails, expiresAt: z.string() }),
  },
  'api_token.requested': {
    targetType: 'api_token',
    description: 'A service token was requested; it needs an admin approval.',
    details: z.object({ ...tokenDetails, justification: z.string() }),
  },
  'api_token.decided': {
    targetType: 'api_token',
    description: 'An admin approved or rejected a service token request.',
    details: z.object({ ...tokenDetails, decision: z.enum(['approved', 'rejected']), note: z.string() }),
  },
  'api_token.issued': {
    targetType: 'api_token',
    description: 'An approved service token was issued to its requester (shown once).',
    details: z.object({ ...tokenDetails, expiresAt: z.string() }),
  },
  'api_token.revoked': {
    targetType: 'api_token',
    description: 'An API token was revoked by its owner, an admin or a global logout.',
    details: z.object({ ...tokenDetails, reason: z.string() }),
  },
  'api_token.refused': {
    targetType: 'api_token',
    description: 'A request with an API token was refused for lack of scope (privileged attempt recorded).',
    details: z.object({ tokenId: id, needed: z.string(), method: z.string(), route: z.string() }),
  },
  'person.provisioned': {
    targetType: 'person',
    description: 'A person was created from SSO claims on first sign-in (provisional until the org source).',
    details: z.object({ issuer: z.string(), subject: z.string(), status: z.string() }),
  },
  'insight.created': {
    targetType: 'insight',
    description: 'An insight was captured (first write of a client-generated id).',
    details: z.object({
      type: z.string(),
      sentiment: z.string(),
      priority: z.string(),
      source: z.string(),
      eventId: z.string().nullable(),
    }),
  },
  'demo.seeded': {
    targetType: 'system',
    description: 'Demo data was loaded into an empty, non-production database.',
    details: z.object({ people: z.number(), events: z.number(), insights: z.number() }),
  },
  // --- Org source: SCIM, HR feed, hierarchy -------------------------------------------------------------
  'org.person.created': {
    targetType: 'person',
    description: 'The org source (SCIM or HR feed) provisioned a person.',
    details: z.object({
      source: z.enum(ORG_SOURCES),
      userName: z.string().nullable(),
      employeeNumber: z.string().nullable(),
    }),
  },
  'org.person.updated': {
    targetType: 'person',
    description: 'The org source changed a person (attributes named; values for org fields only).',
    details: z.object({
      source: z.enum(ORG_SOURCES),
      changed: z.array(z.string()),
      managerId: z.string().nullable().optional(),
      department: z.string().nullable().optional(),
    }),
  },
  'org.person.deactivated': {
    targetType: 'person',
    description:
      'The org source deactivated a person: sessions ended and tokens revoked in the same transaction.',
    details: z.object({ source: z.enum(ORG_SOURCES), sessionsEnded: z.number(), tokensRevoked: z.number() }),
  },
  'org.person.reactivated': {
    targetType: 'person',
    description: 'The org source reactivated a person.',
    details: z.object({ source: z.enum(ORG_SOURCES) }),
  },
  'org.person.linked': {
    targetType: 'person',
    description: 'A first sign-in was linked to a person the org source had provisioned.',
    details: z.object({ issuer: z.string(), subject: z.string(), matchedBy: z.string() }),
  },
  'org.group.created': {
    targetType: 'group',
    description: 'SCIM created a group.',
    details: z.object({ displayName: z.string(), members: z.number() }),
  },
  'org.group.updated': {
    targetType: 'group',
    description: 'SCIM renamed a group or changed its members.',
    details: z.object({
      displayName: z.string(),
      added: z.array(z.string()),
      removed: z.array(z.string()),
      renamedFrom: z.string().nullable().optional(),
    }),
  },
  'org.group.deleted': {
    targetType: 'group',
    description: 'SCIM deleted a group (its members lose the group).',
    details: z.object({ displayName: z.string(), members: z.number() }),
  },
  'org.import.previewed': {
    targetType: 'org_import',
    description: 'An HR feed file was checked (dry run): its diff of joiners, movers and leavers.',
    details: z.object({
      fileSha256: z.string(),
      joiners: z.number(),
      movers: z.number(),
      leavers: z.number(),
      unchanged: z.number(),
      errors: z.number(),
    }),
  },
  'org.import.applied': {
    targetType: 'org_import',
    description: 'An HR feed import was applied atomically.',
    details: z.object({
      fileSha256: z.string(),
      joiners: z.number(),
      movers: z.number(),
      leavers: z.number(),
      unchanged: z.number(),
    }),
  },
  'org.import.discarded': {
    targetType: 'org_import',
    description: 'An admin discarded a previewed HR feed import (nothing in the org changed).',
    details: z.object({ fileSha256: z.string() }),
  },
  'org.source.configured': {
    targetType: 'org_source',
    description: 'An admin changed an org source setting (enabled, maximum staleness).',
    details: z.object({ enabled: z.boolean(), maxStalenessMinutes: z.number() }),
  },
  'scim.credential.created': {
    targetType: 'scim_credential',
    description: 'A SCIM bearer credential was created (shown once).',
    details: z.object({ name: z.string(), prefix: z.string() }),
  },
  'scim.credential.revoked': {
    targetType: 'scim_credential',
    description: 'A SCIM bearer credential was revoked.',
    details: z.object({ name: z.string(), prefix: z.string() }),
  },
  'scim.auth.failed': {
    targetType: 'scim_credential',
    description: 'A SCIM request carried a missing, unknown or revoked credential.',
    details: z.object({ reason: z.enum(['missing', 'unknown', 'revoked']), prefix: z.string().nullable() }),
  },
  // --- Entitlements: rules, exceptions, access reviews -------------------------------------------------
  'entitlement_rules.proposed': {
    targetType: 'entitlement_rules',
    description: 'An admin proposed a new rule-set version (with its preview of who gains and loses access).',
    details: z.object({
      version: z.number(),
      reason: z.string(),
      changedRules: z.array(z.string()),
      gains: z.number(),
      losses: z.number(),
      needsApproval: z.boolean(),
    }),
  },
  'entitlement_rules.activated': {
    targetType: 'entitlement_rules',
    description: 'A rule-set version became active (at start-up, by its author, or by a second approver).',
    details: z.object({
      version: z.number(),
      previousVersion: z.number().nullable(),
      reason: z.string(),
      approvedBy: z.string().nullable(),
    }),
  },
  'entitlement_rules.rejected': {
    targetType: 'entitlement_rules',
    description: 'A proposed rule-set version was rejected or withdrawn.',
    details: z.object({ version: z.number(), note: z.string().nullable() }),
  },
  'access.exception.requested': {
    targetType: 'access_exception',
    description: 'A time-bound access exception was requested, with its justification.',
    details: z.object({
      subjectId: z.string(),
      role: z.string(),
      scopeKind: z.string(),
      scopeTarget: z.string().nullable(),
      expiresAt: z.string(),
      justification: z.string(),
    }),
  },
  'access.exception.decided': {
    targetType: 'access_exception',
    description: 'An access exception was approved or rejected (never by its requester).',
    details: z.object({
      subjectId: z.string(),
      decision: z.enum(['approved', 'rejected']),
      note: z.string().nullable(),
      expiresAt: z.string(),
    }),
  },
  'access.exception.revoked': {
    targetType: 'access_exception',
    description: 'An active access exception was revoked before its expiry.',
    details: z.object({
      subjectId: z.string(),
      reason: z.string(),
      via: z.enum(['manual', 'access_review']),
    }),
  },
  'access.exception.expired': {
    targetType: 'access_exception',
    description: 'An access exception reached its expiry (the expiry job).',
    details: z.object({ subjectId: z.string(), expiresAt: z.string() }),
  },
  'access.review.created': {
    targetType: 'access_review',
    description: 'An access review campaign was started.',
    details: z.object({ name: z.string(), kind: z.string(), dueAt: z.string(), items: z.number() }),
  },
  'access.review.decided': {
    targetType: 'access_review_item',
    description: 'A reviewer kept or revoked one entitlement, with a comment; remediation applied.',
    details: z.object({
      campaignId: z.string(),
      subjectId: z.string(),
      decision: z.enum(['keep', 'revoke']),
      comment: z.string().nullable(),
      remediation: z.enum(['none', 'exception_revoked', 'removal_requested']),
    }),
  },
  'access.review.reminded': {
    targetType: 'access_review',
    description: 'Reviewers with open items were reminded.',
    details: z.object({ reviewers: z.number(), items: z.number() }),
  },
  'access.review.closed': {
    targetType: 'access_review',
    description: 'A campaign closed; its report hashes bind the exported CSV and JSON to the audit chain.',
    details: z.object({
      reportSha256: z.string(),
      csvSha256: z.string(),
      kept: z.number(),
      revoked: z.number(),
      undecided: z.number(),
      /** Why it closed with undecided items (force), or an admin's remark; null when none was given. */
      note: z.string().nullable().optional(),
    }),
  },
  'access.removal.resolved': {
    targetType: 'access_removal_request',
    description: 'Someone confirmed a removal request was carried out at the IdP or HR system.',
    details: z.object({ subjectId: z.string(), source: z.string(), note: z.string().nullable() }),
  },
} as const satisfies Record<string, { targetType: string; description: string; details: z.ZodType }>;

export type AuditAction = keyof typeof AUDIT_CATALOG;
export type AuditDetails<A extends AuditAction> = z.input<(typeof AUDIT_CATALOG)[A]['details']>;
export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
