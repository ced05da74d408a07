import { z } from 'zod';
import { AUDIT_LOG_AUDIT_EVENTS } from './audit-events.audit.ts';
import { CAPTURE_AUDIT_EVENTS } from './audit-events.capture.ts';
import { GOVERNANCE_AUDIT_EVENTS } from './audit-events.governance.ts';
import { ORG_AUDIT_EVENTS } from './audit-events.org.ts';
import { PROGRAM_AUDIT_EVENTS } from './audit-events.program.ts';
import { REPORTING_AUDIT_EVENTS } from './audit-events.reporting.ts';
import { REQUEST_AUDIT_EVENTS } from './audit-events.requests.ts';

export { ORG_SOURCES, type OrgSource } from './audit-events.org.ts';

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

const id = z.string();
const tokenDetails = {
  tokenId: id,
  kind: z.enum(['personal', 'service']),
  name: z.string(),
  scopes: z.array(z.string()),
  /** The token's own rate budget (requests/minute); null = the defaults. Optional: older events lack it. */
  rateLimitPerMinute: z.number().int().nullable().optional(),
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
    description:
      'An insight was captured (first write of a client-generated id), or a public form response became one ' +
      '(source form, no actor).',
    details: z.object({
      type: z.string(),
      sentiment: z.string(),
      priority: z.string(),
      source: z.string(),
      eventId: z.string().nullable(),
    }),
  },
  'insight.updated': {
    targetType: 'insight',
    description:
      'An insight was edited (optimistic concurrency: fromVersion was the version the edit started from).',
    details: z.object({
      fromVersion: z.number().int(),
      toVersion: z.number().int(),
      changed: z.array(z.string()),
      bulkId: z
        .string()
        .optional()
        .describe('Set when the edit was part of a bulk retag (insight.bulk_updated)'),
    }),
  },
  'demo.seeded': {
    targetType: 'system',
    description: 'Demo data was loaded into an empty, non-production database.',
    details: z.object({ people: z.number(), events: z.number(), insights: z.number() }),
  },
  ...ORG_AUDIT_EVENTS,
  ...CAPTURE_AUDIT_EVENTS,
  ...REPORTING_AUDIT_EVENTS,
  ...PROGRAM_AUDIT_EVENTS,
  ...GOVERNANCE_AUDIT_EVENTS,
  ...AUDIT_LOG_AUDIT_EVENTS,
  ...REQUEST_AUDIT_EVENTS,
} as const satisfies Record<string, { targetType: string; description: string; details: z.ZodType }>;

export type AuditAction = keyof typeof AUDIT_CATALOG;
export type AuditDetails<A extends AuditAction> = z.input<(typeof AUDIT_CATALOG)[A]['details']>;
export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
