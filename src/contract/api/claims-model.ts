import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';

/** Signing algorithms an ID or logout token may use. `none` and HMAC (shared-secret) algorithms never qualify. */
export const JWS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

const claimName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_:.\-/]+$/, 'must be a claim name such as groups or employee_number');
const groupName = z.string().min(1).max(200);
/** A group pattern: `*` matches any run of characters; everything else is literal. */
const groupPattern = z.string().min(1).max(200);

/**
 * The trusted-claims model: the one issuer we trust, which ID-token claims we read, which groups matter, and the
 * MFA expectation per role. How groups and org facts become roles is the entitlement rule set (entitlements.ts). Versioned in the database; the
 * active version is enforced on every sign-in and every request.
 */
export const ClaimsModelSpec = z.strictObject({
  issuer: z.url().max(500).describe('The one trusted issuer (from deployment configuration; read-only here)'),
  audience: z.string().min(1).max(200).describe('The client id ID tokens must be issued to (read-only)'),
  algorithms: z.array(z.enum(JWS_ALGORITHMS)).min(1).max(JWS_ALGORITHMS.length),
  clockSkewSeconds: z.number().int().min(0).max(300),
  claims: z.strictObject({
    email: claimName,
    name: claimName,
    groups: claimName,
    employeeNumber: claimName.nullable(),
  }),
  requireEmailVerified: z.boolean(),
  groupFilter: z.strictObject({
    prefixes: z.array(groupName).max(50),
    patterns: z.array(groupPattern).max(50),
  }),
  mfa: z.strictObject({
    requiredFor: z.array(z.enum(ROLES)).max(ROLES.length),
    acceptedAmr: z.array(z.string().min(1).max(50)).max(20),
    acceptedAcr: z.array(z.string().min(1).max(200)).max(20),
    stepUpMaxAgeMinutes: z.number().int().min(1).max(720),
    stepUpAcrValues: z.string().min(1).max(200).nullable(),
  }),
});
export type ClaimsModelSpec = z.infer<typeof ClaimsModelSpec>;

export const ClaimsModelVersion = z.object({
  version: z.number().int(),
  status: z.enum(['active', 'superseded']),
  reason: z.string(),
  createdBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  createdAt: IsoDateTime,
  approvedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  approvedAt: IsoDateTime.nullable(),
  model: ClaimsModelSpec,
});
export type ClaimsModelVersion = z.infer<typeof ClaimsModelVersion>;

export const ClaimsModelChange = refuseControlCharacters(
  z.strictObject({
    model: ClaimsModelSpec,
    reason: z.string().trim().min(5, 'say why, in a few words').max(500),
  }),
);
export type ClaimsModelChange = z.infer<typeof ClaimsModelChange>;
