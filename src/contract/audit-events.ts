import { z } from 'zod';

/**
 * The audit event catalog. Every audited action is declared here once, with the shape of its details, so a
 * writer cannot invent an undocumented event and a reader (SIEM export, audit UI) knows every shape.
 * Details never carry secrets or tokens; personal data only where the event is meaningless without it.
 */
export const SIGN_IN_FAILURE_REASONS = [
  'idp_error',
  'state_mismatch',
  'flow_expired',
  'token_invalid',
  'claims_missing',
  'not_entitled',
  'person_deactivated',
] as const;
export type SignInFailureReason = (typeof SIGN_IN_FAILURE_REASONS)[number];

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
} as const satisfies Record<string, { targetType: string; description: string; details: z.ZodType }>;

export type AuditAction = keyof typeof AUDIT_CATALOG;
export type AuditDetails<A extends AuditAction> = z.input<(typeof AUDIT_CATALOG)[A]['details']>;
export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
