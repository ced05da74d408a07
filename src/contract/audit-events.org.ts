import { z } from 'zod';

/**
 * Audit events of the org-aware entitlements layer: org sources (SCIM, HR feed), entitlement rules,
 * exceptions and access reviews. Part of the one catalog (audit-events.ts); kept apart to keep files small.
 */
export const ORG_SOURCES = ['scim', 'hr'] as const;
export type OrgSource = (typeof ORG_SOURCES)[number];

export const ORG_AUDIT_EVENTS = {
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
    details: z.object({
      displayName: z.string(),
      members: z.number(),
      added: z.array(z.string()).optional().describe('Ids of the people it was created with'),
    }),
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
    details: z.object({
      displayName: z.string(),
      members: z.number(),
      removed: z.array(z.string()).optional().describe('Ids of the people who lost it'),
    }),
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
  'access.review.exported': {
    targetType: 'access_review',
    description:
      "A closed campaign's report was downloaded (JSON or CSV): who took the list of people and their access.",
    details: z.object({ format: z.enum(['json', 'csv']), sha256: z.string(), items: z.number().int() }),
  },
  'access.removal.resolved': {
    targetType: 'access_removal_request',
    description: 'Someone confirmed a removal request was carried out at the IdP or HR system.',
    details: z.object({ subjectId: z.string(), source: z.string(), note: z.string().nullable() }),
  },
} as const satisfies Record<string, { targetType: string; description: string; details: z.ZodType }>;
