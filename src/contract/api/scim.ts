import { z } from 'zod';
import { IsoDateTime, refuseControlCharacters, Uuid } from './common.ts';

/**
 * The SCIM provisioning credential (the identity provider's bearer token for /scim/v2), administered by admins
 * from the control plane or with `bi scim credential …`. The token is shown once, when created.
 */
export const SCIM_CREDENTIAL_MAX_ACTIVE = 5;

export const ScimCredentialName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters')
  .regex(/^[\w .@()-]+$/, 'may use letters, digits, spaces and . _ - @ ( )');

export const ScimCredentialCreate = refuseControlCharacters(
  z.strictObject({
    name: ScimCredentialName.describe('What it is for, e.g. "okta-prod" (unique among active credentials)'),
  }),
);
export type ScimCredentialCreate = z.infer<typeof ScimCredentialCreate>;

export const ScimCredentialSummary = z.object({
  id: Uuid,
  name: z.string(),
  prefix: z.string().describe('The visible start of the token (bi_scim_ and five characters)'),
  status: z.enum(['active', 'revoked']),
  createdBy: Uuid.nullable().describe('The admin who created it; null when created with the CLI'),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
});
export type ScimCredentialSummary = z.infer<typeof ScimCredentialSummary>;

export const ScimCredentialIssued = ScimCredentialSummary.extend({
  token: z
    .string()
    .describe('The bearer token for the identity provider. Shown once: it is stored only as a hash.'),
});
export type ScimCredentialIssued = z.infer<typeof ScimCredentialIssued>;

export const ScimCredentialList = z.object({ items: z.array(ScimCredentialSummary) });
export type ScimCredentialList = z.infer<typeof ScimCredentialList>;
