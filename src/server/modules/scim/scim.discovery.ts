import { scimNotFound } from './scim.errors.ts';
import { SCIM_LIMITS, URN } from './scim.schemas.ts';

/**
 * Discovery (RFC 7644 §4): what this service provider supports, stated truthfully — PATCH and filtering yes;
 * bulk, sorting, ETags and password changes no; one bearer credential scheme. Schemas list the attributes we
 * interpret; other attributes a client sends are kept and returned as sent, but mean nothing here.
 */

type Attribute = {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  subAttributes?: Attribute[];
  referenceTypes?: string[];
};

const attr = (name: string, description: string, more: Partial<Attribute> = {}): Attribute => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...more,
});

const USER_ATTRIBUTES: Attribute[] = [
  attr('userName', 'The login; unique (case-insensitive). Used to link the person’s first SSO sign-in.', {
    required: true,
    uniqueness: 'server',
  }),
  attr('name', 'The person’s name; formatted, or given and family name, become the display name.', {
    type: 'complex',
    subAttributes: [
      'formatted',
      'familyName',
      'givenName',
      'middleName',
      'honorificPrefix',
      'honorificSuffix',
    ].map((n) => attr(n, `name.${n}`)),
  }),
  attr('displayName', 'The name shown in Builder Insights (preferred over name).'),
  attr('title', 'Job title; entitlement rules may match on it.'),
  attr('emails', 'E-mail addresses; the primary (else the first) is the person’s e-mail.', {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attr('value', 'The address'),
      attr('type', 'work, home, other'),
      attr('primary', 'The primary address', { type: 'boolean' }),
    ],
  }),
  attr('active', 'false deactivates the person: sessions end and API tokens are revoked at once.', {
    type: 'boolean',
  }),
  attr('password', 'Accepted and ignored: never stored, never returned (sign-in is SSO).', {
    mutability: 'writeOnly',
    returned: 'never',
  }),
  attr('groups', 'The SCIM groups the user is a member of (change them through /Groups).', {
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'Group id', { mutability: 'readOnly' }),
      attr('display', 'Group name', { mutability: 'readOnly' }),
    ],
  }),
];

const ENTERPRISE_ATTRIBUTES: Attribute[] = [
  attr('employeeNumber', 'Employee number; unique.', { caseExact: true, uniqueness: 'server' }),
  attr('department', 'Org unit; "Builder Relations" marks a Builder Relations member.'),
  attr(
    'manager',
    'The manager: value is our user id, or their employee number, userName, e-mail or externalId.',
    {
      type: 'complex',
      subAttributes: [
        attr('value', 'The manager reference', { caseExact: true }),
        attr('displayName', 'The manager’s name (informational)'),
      ],
    },
  ),
];

const GROUP_ATTRIBUTES: Attribute[] = [
  attr('displayName', 'The group name (unique, case-insensitive); entitlement rules match on it.', {
    required: true,
    uniqueness: 'server',
  }),
  attr('members', 'Users in the group.', {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attr('value', 'User id', { caseExact: true, mutability: 'immutable' }),
      attr('display', 'The user’s name', { mutability: 'readOnly' }),
    ],
  }),
];

export function schemaDefinitions(baseUrl: string) {
  const def = (id: string, name: string, description: string, attributes: Attribute[]) => ({
    schemas: [URN.schema],
    id,
    name,
    description,
    attributes,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` },
  });
  return [
    def(URN.user, 'User', 'A person in Builder Insights', USER_ATTRIBUTES),
    def(
      URN.enterprise,
      'EnterpriseUser',
      'Org attributes: employee number, department, manager',
      ENTERPRISE_ATTRIBUTES,
    ),
    def(
      URN.group,
      'Group',
      'An identity-provider group; entitlement rules match on its name',
      GROUP_ATTRIBUTES,
    ),
  ];
}

export function findSchema(baseUrl: string, id: string) {
  const found = schemaDefinitions(baseUrl).find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!found) throw scimNotFound('Schema', id);
  return found;
}

export function resourceTypes(baseUrl: string) {
  return [
    {
      schemas: [URN.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'People',
      schema: URN.user,
      schemaExtensions: [{ schema: URN.enterprise, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [URN.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Groups',
      schema: URN.group,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

export function findResourceType(baseUrl: string, id: string) {
  const found = resourceTypes(baseUrl).find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (!found) throw scimNotFound('ResourceType', id);
  return found;
}

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [URN.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_LIMITS.pageMax },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'A SCIM provisioning credential (bi_scim_…) created by an admin, sent as Authorization: Bearer.',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function listOf<T>(resources: T[]) {
  return {
    schemas: [URN.list],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  };
}
