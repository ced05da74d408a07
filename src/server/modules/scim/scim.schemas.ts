import { z } from 'zod';
import { refuseControlCharacters } from '../../../contract/api/common.ts';

/**
 * SCIM 2.0 (RFC 7643 resources, RFC 7644 protocol) as the identity provider speaks it to /scim/v2. Resource
 * bodies are open (`looseObject`): extension attributes we do not interpret are kept and returned as sent,
 * while every attribute we map onto a person is bounded here.
 */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export const SCIM_LIMITS = {
  pageDefault: 100,
  pageMax: 200,
  /** Members one group request may name (a full PUT of a large group). */
  membersPerRequest: 20_000,
  patchOperations: 1_000,
  filter: 1_000,
  /** The stored representation of one user (core + extensions), serialized. */
  userBytes: 64 * 1024,
} as const;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Optional text: trimmed and bounded; null (or "") clears it. */
const optText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullish();

/**
 * A boolean as identity providers send it: JSON true/false, or the strings "True"/"False" (any case) that some
 * send inside PATCH values.
 */
export const ScimBoolean = z
  .union([z.boolean(), z.string().regex(/^\s*(true|false)\s*$/i, 'must be true or false')])
  .transform((v) => (typeof v === 'boolean' ? v : v.trim().toLowerCase() === 'true'));

const schemasIncluding = (urn: string) =>
  z
    .array(z.string().max(200))
    .max(10)
    .refine((s) => s.includes(urn), `must include ${urn}`);

export const ScimName = z.looseObject({
  formatted: optText(400),
  familyName: optText(200),
  givenName: optText(200),
  middleName: optText(200),
  honorificPrefix: optText(50),
  honorificSuffix: optText(50),
});

export const ScimEmail = z.looseObject({
  value: z
    .string()
    .trim()
    .max(320, 'must be at most 320 characters')
    .regex(EMAIL, 'must be an e-mail address'),
  type: optText(50),
  primary: ScimBoolean.optional(),
  display: optText(320),
});

export const ScimEnterpriseUser = z.looseObject({
  employeeNumber: optText(100),
  department: optText(200),
  organization: optText(200),
  division: optText(200),
  costCenter: optText(200),
  manager: z
    .looseObject({
      value: optText(256).describe(
        'The manager: our user id, their employee number, userName, e-mail or externalId',
      ),
      displayName: optText(200),
    })
    .nullish(),
});

/** A User as the IdP sends it (POST, PUT, and the result of a PATCH). `password` is accepted, never kept. */
export const ScimUserInput = refuseControlCharacters(
  z.looseObject({
    schemas: schemasIncluding(URN.user),
    userName: z.string().trim().min(1, 'is required').max(256, 'must be at most 256 characters'),
    externalId: optText(256),
    name: ScimName.nullish(),
    displayName: optText(200),
    nickName: optText(200),
    title: optText(200),
    emails: z.array(ScimEmail).max(20, 'at most 20 e-mail addresses').nullish(),
    active: ScimBoolean.optional(),
    password: z.string().max(1024).optional().describe('Accepted and ignored: never stored, never returned'),
    [URN.enterprise]: ScimEnterpriseUser.nullish(),
  }),
);
export type ScimUserInput = z.output<typeof ScimUserInput>;

const Meta = z.object({
  resourceType: z.string(),
  created: z.string().optional(),
  lastModified: z.string().optional(),
  location: z.string().optional(),
});

const GroupRef = z.object({ value: z.string(), display: z.string().optional() });

/** A User as we return it: the stored representation, with id, active, groups and meta from our records. */
export const ScimUser = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  externalId: z.string().optional(),
  userName: z.string().optional(),
  active: z.boolean().optional(),
  groups: z.array(GroupRef).optional(),
  meta: Meta.optional(),
});
export type ScimUser = z.infer<typeof ScimUser>;

const MemberRef = z.looseObject({
  value: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  display: optText(300),
  type: optText(20),
});

export const ScimGroupInput = refuseControlCharacters(
  z.looseObject({
    schemas: schemasIncluding(URN.group),
    displayName: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
    externalId: optText(256),
    members: z
      .array(MemberRef)
      .max(SCIM_LIMITS.membersPerRequest, `at most ${SCIM_LIMITS.membersPerRequest} members per request`)
      .nullish(),
  }),
);
export type ScimGroupInput = z.output<typeof ScimGroupInput>;

export const ScimGroup = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  displayName: z.string().optional(),
  externalId: z.string().optional(),
  members: z.array(GroupRef).optional(),
  meta: Meta.optional(),
});
export type ScimGroup = z.infer<typeof ScimGroup>;

export const PatchOperation = z.looseObject({
  op: z.string().regex(/^(add|remove|replace)$/i, 'must be add, remove or replace'),
  path: z.string().trim().max(1_000, 'must be at most 1000 characters').optional(),
  value: z.unknown().optional(),
});
export type PatchOperation = z.output<typeof PatchOperation>;

export const PatchRequest = refuseControlCharacters(
  z.looseObject({
    schemas: schemasIncluding(URN.patch),
    Operations: z
      .array(PatchOperation)
      .min(1, 'needs at least one operation')
      .max(SCIM_LIMITS.patchOperations, `at most ${SCIM_LIMITS.patchOperations} operations`),
  }),
);
export type PatchRequest = z.output<typeof PatchRequest>;

export const ScimError = z.object({
  schemas: z.array(z.string()),
  status: z.string(),
  scimType: z.string().optional(),
  detail: z.string().optional(),
});
export type ScimError = z.infer<typeof ScimError>;

export const listResponse = <T extends z.ZodType>(resource: T) =>
  z.object({
    schemas: z.array(z.string()),
    totalResults: z.number().int(),
    itemsPerPage: z.number().int(),
    startIndex: z.number().int(),
    Resources: z.array(resource),
  });

/** startIndex is 1-based: below 1 counts as 1 (RFC 7644 §3.4.2.4). */
const StartIndex = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .optional()
  .transform((n) => Math.max(1, n ?? 1));
/** count: negative counts as 0; above the maximum answers at most the maximum. */
const Count = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .optional()
  .transform((n) => Math.min(SCIM_LIMITS.pageMax, Math.max(0, n ?? SCIM_LIMITS.pageDefault)));
const AttrList = z.string().max(1_000, 'must be at most 1000 characters').optional();

export const ListQuery = z.strictObject({
  filter: z.string().max(SCIM_LIMITS.filter, `must be at most ${SCIM_LIMITS.filter} characters`).optional(),
  startIndex: StartIndex,
  count: Count,
  attributes: AttrList,
  excludedAttributes: AttrList,
  // Sorting is not supported (ServiceProviderConfig says so): accepted and ignored, results are by creation.
  sortBy: z.string().max(200).optional(),
  sortOrder: z.string().max(20).optional(),
});
export type ListQuery = z.output<typeof ListQuery>;

export const ResourceQuery = z.strictObject({ attributes: AttrList, excludedAttributes: AttrList });
export type ResourceQuery = z.output<typeof ResourceQuery>;

/** Any id in the path: a non-UUID answers 404 like an unknown one (never a validation error). */
export const IdParams = z.strictObject({ id: z.string().max(200) });
