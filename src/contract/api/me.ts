import { z } from 'zod';
import { IsoDateTime, RoleSchema, ScopeSchema, Uuid } from './common.ts';
import { Entitlement } from './entitlements.ts';

export const PERSON_STATUSES = ['provisional', 'active', 'deactivated'] as const;
export const SESSION_KINDS = ['sso', 'break_glass'] as const;

export const Me = z.object({
  person: z.object({
    id: Uuid,
    name: z.string(),
    email: z.string(),
    team: z.string().nullable(),
    status: z.enum(PERSON_STATUSES),
  }),
  role: RoleSchema,
  scope: ScopeSchema,
  scopeLabel: z.string(),
  entitlements: z
    .array(Entitlement)
    .describe(
      'Every entitlement behind the role and scope, with its reason (empty in a break-glass session)',
    ),
  ruleSetVersion: z.number().int().nullable().describe('The entitlement rule-set version that decided'),
  claimsModelVersion: z.number().int(),
  session: z.object({
    id: Uuid,
    kind: z.enum(SESSION_KINDS).describe('break_glass sessions are emergency access: marked in every UI'),
    createdAt: IsoDateTime,
    idleExpiresAt: IsoDateTime,
    absoluteExpiresAt: IsoDateTime,
    amr: z.array(z.string()),
    acr: z.string().nullable(),
    authenticatedAt: IsoDateTime.nullable(),
    mfa: z.object({
      requiredForRole: z.boolean(),
      satisfiedAt: IsoDateTime.nullable(),
      fresh: z.boolean().describe('Privileged actions are allowed without a step-up right now'),
      windowMinutes: z.number().int(),
    }),
  }),
  csrfToken: z.string().describe('Send as the X-CSRF-Token header on every state-changing request'),
  taxonomyVersion: z.string(),
});
export type Me = z.infer<typeof Me>;

export const LogoutResult = z.object({
  redirectTo: z.string().describe('Where the browser goes next: the identity provider end-session URL or /'),
});

export const SessionSummary = z.object({
  id: Uuid,
  kind: z.enum(SESSION_KINDS),
  current: z.boolean(),
  person: z.object({ id: Uuid, name: z.string(), email: z.string() }),
  role: RoleSchema,
  amr: z.array(z.string()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: IsoDateTime,
  lastSeenAt: IsoDateTime,
  idleExpiresAt: IsoDateTime,
  absoluteExpiresAt: IsoDateTime,
});
export type SessionSummary = z.infer<typeof SessionSummary>;
export const SessionList = z.object({ items: z.array(SessionSummary) });
export const SessionEnded = z.object({ ended: z.literal(true) });
