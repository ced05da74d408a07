import { z } from 'zod';
import {
  Cursor,
  IsoDateTime,
  QueryBoolean,
  queryInt,
  RoleSchema,
  refuseControlCharacters,
  Uuid,
} from './common.ts';
import { PERSON_STATUSES } from './me.ts';

/**
 * Reading the audit log (admins): search, the catalog of actions, and one person's access history. The
 * catalog itself (src/contract/audit-events.ts) stays on the server; this file is dependency-light so the admin
 * web app can import it.
 */
export const AUDIT_OUTCOME_VALUES = ['success', 'failure'] as const;
export const AUDIT_PAGE = { default: 50, max: 200 } as const;
export const AUDIT_FILTER_LIMITS = { action: 100, targetType: 50, targetId: 200 } as const;

/**
 * The families of a person's access history (`kind=access`): signing in and sessions, roles and the rules and
 * org data behind them, exceptions and reviews, tokens, break-glass and refused requests.
 */
export const ACCESS_FAMILIES = [
  'auth',
  'access',
  'api_token',
  'break_glass',
  'claims_model',
  'entitlement_rules',
  'org',
  'person',
  'scim',
  'request',
] as const;

const ACTION_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$/;
const ActionFilter = z
  .string()
  .max(AUDIT_FILTER_LIMITS.action)
  .regex(ACTION_PATTERN, 'must be an action (auth.sign_in.failed) or a family prefix ending in a dot (auth.)')
  .describe('An exact action, or a prefix ending in a dot for a family or sub-family: auth., auth.session.');

export const AuditEventQuery = refuseControlCharacters(
  z
    .strictObject({
      actor: Uuid.optional().describe('The person who acted (person id)'),
      targetType: z
        .string()
        .max(AUDIT_FILTER_LIMITS.targetType)
        .regex(/^[a-z_]+$/, 'must be a target type from the catalog')
        .optional(),
      targetId: z
        .string()
        .min(1)
        .max(AUDIT_FILTER_LIMITS.targetId)
        .optional()
        .describe('Needs targetType (the index is on both)'),
      action: ActionFilter.optional(),
      outcome: z.enum(AUDIT_OUTCOME_VALUES).optional(),
      from: IsoDateTime.optional().describe('Events at or after this time'),
      to: IsoDateTime.optional().describe('Events before this time'),
      breakGlass: QueryBoolean.optional().describe('true: only events made in a break-glass session'),
      cursor: Cursor.optional(),
      limit: queryInt(1, AUDIT_PAGE.max).default(AUDIT_PAGE.default),
    })
    .superRefine((query, ctx) => {
      if (query.targetId !== undefined && query.targetType === undefined)
        ctx.addIssue({ code: 'custom', path: ['targetType'], message: 'is needed with targetId' });
      if (
        query.from !== undefined &&
        query.to !== undefined &&
        Date.parse(query.from) >= Date.parse(query.to)
      )
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }),
);
export type AuditEventQuery = z.input<typeof AuditEventQuery>;

export const AuditPersonParams = z.strictObject({ id: Uuid });
export const AuditPersonQuery = refuseControlCharacters(
  z.strictObject({
    kind: z
      .enum(['access', 'all'])
      .default('access')
      .describe(
        'access: the access families only (ACCESS_FAMILIES); all: everything they did or that named them',
      ),
    cursor: Cursor.optional(),
    limit: queryInt(1, AUDIT_PAGE.max).default(AUDIT_PAGE.default),
  }),
);
export type AuditPersonQuery = z.input<typeof AuditPersonQuery>;

export const AuditEventView = z.object({
  seq: z.number().int().describe('Position in the hash chain; pages run newest (highest) first'),
  id: Uuid,
  occurredAt: IsoDateTime,
  action: z.string(),
  family: z.string().describe('The action up to its first dot'),
  description: z.string().describe("The catalog's description of the action"),
  outcome: z.enum(AUDIT_OUTCOME_VALUES),
  actor: z
    .object({
      id: Uuid,
      displayName: z.string().nullable(),
      role: z.string().nullable().describe('The role the actor had when acting'),
      sessionId: Uuid.nullable(),
    })
    .nullable()
    .describe(
      'null: the system (start-up, a job, the CLI), an identity provider call or an anonymous sender',
    ),
  tokenId: Uuid.nullable().describe('The API token the actor used, if any'),
  breakGlass: z.boolean(),
  target: z.object({
    type: z.string(),
    id: z.string().nullable(),
    label: z.string().nullable().describe('A name for people, events, groups and API tokens; null otherwise'),
  }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  traceId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

export const AuditEventPage = z.object({
  items: z.array(AuditEventView),
  nextCursor: z.string().nullable(),
});
export type AuditEventPage = z.infer<typeof AuditEventPage>;

export const AuditCatalogField = z.object({
  name: z.string(),
  type: z.string().describe('e.g. string, integer, boolean, string[], one of: a | b'),
  optional: z.boolean(),
  description: z.string().nullable(),
});
export type AuditCatalogField = z.infer<typeof AuditCatalogField>;

export const AuditCatalogEntry = z.object({
  action: z.string(),
  family: z.string(),
  targetType: z.string(),
  description: z.string(),
  fields: z.array(AuditCatalogField),
});
export type AuditCatalogEntry = z.infer<typeof AuditCatalogEntry>;

export const AuditCatalog = z.object({
  families: z.array(z.string()),
  targetTypes: z.array(z.string()),
  actions: z.array(AuditCatalogEntry),
});
export type AuditCatalog = z.infer<typeof AuditCatalog>;

export const AuditPersonSummary = z.object({
  id: Uuid,
  displayName: z.string(),
  status: z.enum(PERSON_STATUSES),
  role: RoleSchema.nullable().describe('Current effective role (null: no access)'),
  scopeLabel: z.string(),
  lastSignInAt: IsoDateTime.nullable(),
  activeSessions: z.number().int(),
  activeTokens: z.number().int(),
  activeExceptions: z.array(z.object({ id: Uuid, role: RoleSchema, expiresAt: IsoDateTime })),
});
export type AuditPersonSummary = z.infer<typeof AuditPersonSummary>;

export const AuditPersonHistory = z.object({
  summary: AuditPersonSummary,
  items: z.array(AuditEventView),
  nextCursor: z.string().nullable(),
});
export type AuditPersonHistory = z.infer<typeof AuditPersonHistory>;
