import type { RuleSetSpec } from '../../../contract/api/entitlements.ts';
import type { people } from '../../db/schema.ts';
import { ScimHttpError } from './scim.errors.ts';
import { SCIM_LIMITS, type ScimUser, type ScimUserInput, URN } from './scim.schemas.ts';

/** How a SCIM User maps onto a person (people row), and back. */

type PersonRow = typeof people.$inferSelect;

/**
 * Builder Relations membership as SCIM tells it: a member of one of the rule set's Builder Relations SCIM groups,
 * or in one of its departments (both case-insensitive). The definition is part of the versioned, audited rule
 * set (`builderRelations`), so changing it is previewed and approved like any rule change.
 */
export function isBuilderRelations(
  scimGroupNames: readonly string[],
  department: string | null,
  definition: RuleSetSpec['builderRelations'],
): boolean {
  const groups = new Set(definition.scimGroups.map((g) => g.trim().toLowerCase()));
  const departments = new Set(definition.departments.map((d) => d.trim().toLowerCase()));
  return (
    scimGroupNames.some((g) => groups.has(g.trim().toLowerCase())) ||
    (department !== null && departments.has(department.trim().toLowerCase()))
  );
}

/** The person columns a SCIM User sets. */
export interface PersonFields {
  userName: string;
  externalId: string | null;
  displayName: string;
  email: string;
  title: string | null;
  department: string | null;
  employeeNumber: string | null;
  managerRef: string | null;
  active: boolean;
}

const blank = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
const ENTERPRISE_FIELD = (attr: string) => `${URN.enterprise}:${attr}`;

export function personFieldsOf(input: ScimUserInput): PersonFields {
  const ext = input[URN.enterprise] ?? null;
  const name = input.name ?? null;
  const emails = input.emails ?? [];
  const email =
    emails.find((e) => e.primary === true)?.value ??
    emails[0]?.value ??
    (/^[^\s@]+@[^\s@]+$/.test(input.userName) ? input.userName : null);
  if (!email) {
    throw new ScimHttpError(
      400,
      'emails: a user needs an e-mail address (in emails, or a userName that is one).',
      'invalidValue',
    );
  }
  const fromParts = [blank(name?.givenName), blank(name?.familyName)].filter(Boolean).join(' ');
  return {
    userName: input.userName,
    externalId: blank(input.externalId),
    displayName: blank(input.displayName) ?? blank(name?.formatted) ?? (fromParts || input.userName),
    email,
    title: blank(input.title),
    department: blank(ext?.department),
    employeeNumber: blank(ext?.employeeNumber),
    managerRef: blank(ext?.manager?.value),
    active: input.active ?? true,
  };
}

/** The field a manager problem is reported on. */
export const MANAGER_FIELD = ENTERPRISE_FIELD('manager.value');
export const EMPLOYEE_NUMBER_FIELD = ENTERPRISE_FIELD('employeeNumber');

/** Read-only or server-owned attributes: never kept from what a client sends. */
const NOT_STORED = new Set(['id', 'meta', 'groups', 'password', 'schemas']);

/** Whether a JSON value nests deeper than `limit` (checked without recursion: input is untrusted). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (!current || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return false;
}

const MAX_DEPTH = 16;

/**
 * What we keep in people.scim_resource for exact round-trips: the representation as sent (after validation and
 * normalisation), without the password and without attributes the server owns. Bounded in size.
 */
export function storedResourceOf(input: ScimUserInput): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!NOT_STORED.has(key) && value !== undefined && value !== null) stored[key] = value;
  }
  stored.active = input.active ?? true;
  if (nestsDeeperThan(stored, MAX_DEPTH))
    throw new ScimHttpError(
      400,
      `The user representation nests deeper than ${MAX_DEPTH} levels.`,
      'invalidValue',
    );
  if (JSON.stringify(stored).length > SCIM_LIMITS.userBytes) {
    throw new ScimHttpError(
      400,
      `The user representation is larger than ${SCIM_LIMITS.userBytes / 1024} KiB.`,
      'invalidValue',
    );
  }
  return stored;
}

export interface GroupRef {
  value: string;
  display: string;
}

/** The User as we answer it: the stored representation, with what our records own laid over it. */
export function userResourceOf(row: PersonRow, groups: GroupRef[], baseUrl: string): ScimUser {
  const stored = row.scimResource ?? {};
  const resource: ScimUser = {
    ...stored,
    schemas: stored[URN.enterprise] ? [URN.user, URN.enterprise] : [URN.user],
    id: row.id,
    userName: row.userName ?? String(stored.userName ?? ''),
    active: row.status !== 'deactivated',
    meta: {
      resourceType: 'User',
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: `${baseUrl}/Users/${row.id}`,
    },
  };
  if (groups.length > 0) resource.groups = groups;
  return resource;
}

/** The full representation a PATCH starts from (no meta or groups: those are not patched). */
export function patchBaseOf(row: PersonRow): Record<string, unknown> {
  const stored = row.scimResource ?? {};
  return {
    ...stored,
    schemas: stored[URN.enterprise] ? [URN.user, URN.enterprise] : [URN.user],
    userName: row.userName ?? stored.userName,
    active: row.status !== 'deactivated',
  };
}

// --- attributes / excludedAttributes (RFC 7644 §3.4.2.5) -----------------------------------------------------

/** "name.givenName" → ["name", "givenName"]; an enterprise attribute keeps its URN as the first segment. */
function segmentsOf(raw: string): string[] {
  const path = raw.trim();
  const lower = path.toLowerCase();
  for (const urn of [URN.user, URN.group]) {
    if (lower.startsWith(`${urn.toLowerCase()}:`)) return path.slice(urn.length + 1).split('.');
  }
  if (lower === URN.enterprise.toLowerCase()) return [URN.enterprise];
  if (lower.startsWith(`${URN.enterprise.toLowerCase()}:`))
    return [URN.enterprise, ...path.slice(URN.enterprise.length + 1).split('.')];
  return path.split('.');
}

export function attributeList(param: string | undefined): string[][] {
  if (!param) return [];
  return param
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .slice(0, 50)
    .map(segmentsOf);
}

const keyOf = (obj: Record<string, unknown>, segment: string) =>
  Object.keys(obj).find((k) => k.toLowerCase() === segment.toLowerCase());

function pick(src: unknown, path: string[]): unknown {
  if (Array.isArray(src)) return src.map((item) => pick(item, path));
  if (!src || typeof src !== 'object' || path.length === 0) return src;
  const obj = src as Record<string, unknown>;
  const [head, ...rest] = path;
  const key = keyOf(obj, head ?? '');
  if (!key) return undefined;
  return { [key]: rest.length ? pick(obj[key], rest) : obj[key] };
}

function merge(into: Record<string, unknown>, part: unknown) {
  if (!part || typeof part !== 'object' || Array.isArray(part)) return;
  for (const [key, value] of Object.entries(part as Record<string, unknown>)) {
    const existing = into[key];
    if (
      existing &&
      typeof existing === 'object' &&
      !Array.isArray(existing) &&
      value &&
      typeof value === 'object'
    )
      merge(existing as Record<string, unknown>, value);
    else into[key] = value;
  }
}

function drop(obj: unknown, path: string[]) {
  if (Array.isArray(obj)) {
    for (const item of obj) drop(item, path);
    return;
  }
  if (!obj || typeof obj !== 'object') return;
  const record = obj as Record<string, unknown>;
  const key = keyOf(record, path[0] ?? '');
  if (!key) return;
  if (path.length === 1) delete record[key];
  else drop(record[key], path.slice(1));
}

/** Whether a projection leaves this top-level attribute in the answer (Groups skip loading members otherwise). */
export function wantsAttribute(
  attribute: string,
  query: { attributes?: string | undefined; excludedAttributes?: string | undefined },
) {
  const a = attribute.toLowerCase();
  if (attributeList(query.excludedAttributes).some((p) => p.length === 1 && p[0]?.toLowerCase() === a))
    return false;
  const only = attributeList(query.attributes);
  return only.length === 0 || only.some((p) => p[0]?.toLowerCase() === a);
}

/** Apply attributes / excludedAttributes; id and schemas are always returned. */
export function project<T extends { id: string; schemas: string[] }>(
  resource: T,
  query: { attributes?: string | undefined; excludedAttributes?: string | undefined },
): T {
  const only = attributeList(query.attributes);
  const excluded = attributeList(query.excludedAttributes);
  if (only.length === 0 && excluded.length === 0) return resource;
  let out: Record<string, unknown>;
  if (only.length > 0) {
    out = { schemas: resource.schemas, id: resource.id };
    for (const path of only) merge(out, pick(resource, path));
  } else {
    out = structuredClone(resource) as Record<string, unknown>;
    for (const path of excluded) {
      const top = path[0]?.toLowerCase();
      if (path.length === 1 && (top === 'id' || top === 'schemas')) continue;
      drop(out, path);
    }
  }
  return out as T;
}
