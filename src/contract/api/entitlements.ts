import { z } from 'zod';
import { SCOPE_KINDS } from '../roles.ts';
import { IsoDateTime, RoleSchema, ScopeSchema, Uuid } from './common.ts';

/**
 * The entitlement layer (ARCHITECTURE §2): versioned mapping rules from identity and org inputs to a role and a
 * reporting scope. Every effective entitlement says where it came from (a rule and the facts that matched it,
 * or an approved exception).
 */
export const ScopeKindSchema = z.enum(SCOPE_KINDS);

const groupName = z.string().min(1).max(200);
const label = z.string().trim().min(1).max(200);

export const RuleConditions = z
  .strictObject({
    groupsAny: z
      .array(groupName)
      .min(1)
      .max(50)
      .optional()
      .describe('The person is in at least one of these identity-provider groups'),
    builderRelations: z
      .boolean()
      .optional()
      .describe('The org source says the person is (true) or is not (false) in Builder Relations'),
    departments: z.array(label).min(1).max(50).optional().describe('Department (org unit) is one of these'),
    titles: z
      .array(label)
      .min(1)
      .max(50)
      .optional()
      .describe('Job title matches one of these patterns (case-insensitive; * matches anything)'),
    minDirectReports: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe('At least this many active direct reports in Builder Relations (manager-chain position)'),
  })
  .refine((w) => Object.values(w).some((v) => v !== undefined), 'a rule needs at least one condition');
export type RuleConditions = z.infer<typeof RuleConditions>;

export const EntitlementRule = z.strictObject({
  id: z
    .string()
    .regex(/^R\d{1,4}$/, 'must look like R1, R2, …')
    .describe('Stable rule id, quoted in provenance'),
  description: z.string().trim().min(3).max(300),
  when: RuleConditions,
  grant: z.strictObject({ role: RoleSchema, scope: ScopeKindSchema }),
});
export type EntitlementRule = z.infer<typeof EntitlementRule>;

export const RuleSetSpec = z
  .strictObject({
    teamGroupPrefix: z
      .string()
      .min(1)
      .max(100)
      .describe("Identity-provider groups with this prefix name a person's team (br-team-amer → amer)"),
    rules: z.array(EntitlementRule).min(1).max(100),
    builderRelations: z
      .strictObject({
        scimGroups: z.array(groupName).max(20),
        departments: z.array(label).max(20),
      })
      .default({ scimGroups: ['builder-relations'], departments: ['Builder Relations'] })
      .describe(
        'How SCIM tells Builder Relations membership (the HR feed states it per row): membership of one of these ' +
          'SCIM groups, or one of these departments (case-insensitive)',
      ),
  })
  .refine((s) => new Set(s.rules.map((r) => r.id)).size === s.rules.length, {
    message: 'rule ids must be unique',
    path: ['rules'],
  });
export type RuleSetSpec = z.infer<typeof RuleSetSpec>;

export const ENTITLEMENT_SOURCES = ['idp_group', 'org', 'exception'] as const;
export type EntitlementSource = (typeof ENTITLEMENT_SOURCES)[number];

/** One effective entitlement with its provenance. */
export const Entitlement = z.object({
  role: RoleSchema,
  scopeKind: ScopeKindSchema,
  source: z
    .enum(ENTITLEMENT_SOURCES)
    .describe('idp_group: a rule matched on IdP groups; org: a rule matched on org-source facts; exception'),
  ruleId: z.string().nullable(),
  exceptionId: Uuid.nullable(),
  expiresAt: IsoDateTime.nullable(),
  reason: z.string().describe('Why, in words: "manager because rule R3 matched: 4 direct reports in …"'),
});
export type Entitlement = z.infer<typeof Entitlement>;

export const EffectiveAccess = z.object({
  role: RoleSchema,
  scope: ScopeSchema,
  entitlements: z.array(Entitlement),
  ruleSetVersion: z.number().int(),
});
export type EffectiveAccess = z.infer<typeof EffectiveAccess>;
