import {
  ScimError as ScimPatchError,
  type ScimPatchOperation,
  type ScimResource,
  scimPatch,
} from 'scim-patch';
import { type Filter, parse } from 'scim2-parse-filter';
import { ScimHttpError } from './scim.errors.ts';
import { normalizeAttrPath } from './scim.filter.ts';
import type { PatchOperation } from './scim.schemas.ts';

/**
 * PATCH (RFC 7644 §3.5.2). Users: the operations apply (via scim-patch) to the full current representation,
 * and the result goes through the same validation and mapping as a PUT. Groups: membership operations become
 * a plan of additions and removals, so a 10,000-member group is never loaded to add one person.
 */

const lowerOp = (op: string) => op.toLowerCase() as 'add' | 'remove' | 'replace';

export function patchUser(
  base: Record<string, unknown>,
  operations: PatchOperation[],
): Record<string, unknown> {
  const ops = operations.map((o) => ({
    op: lowerOp(o.op),
    ...(o.path ? { path: o.path } : {}),
    ...('value' in o ? { value: o.value } : {}),
  })) as ScimPatchOperation[];
  const resource = { ...base, meta: { created: new Date(0), lastModified: new Date(0) } } as ScimResource;
  try {
    const patched = scimPatch(resource, ops, {
      mutateDocument: false,
      treatMissingAsAdd: true,
    }) as unknown as Record<string, unknown>;
    delete patched.meta;
    return patched;
  } catch (err) {
    if (err instanceof ScimPatchError) {
      const scimType =
        err.scimCode === 'noTarget'
          ? 'noTarget'
          : err.scimCode === 'invalidPath'
            ? 'invalidPath'
            : 'invalidValue';
      throw new ScimHttpError(400, `The patch cannot be applied: ${err.message}`, scimType);
    }
    throw new ScimHttpError(
      400,
      'The patch cannot be applied: an operation does not fit the resource.',
      'invalidPath',
    );
  }
}

/** What a Group PATCH changes. `members.set` replaces the whole list; otherwise add/remove apply to it. */
export interface GroupPatchPlan {
  displayName?: string;
  externalId?: string | null;
  members: { set: Set<string> | null; add: Set<string>; remove: Set<string> };
}

const bad = (detail: string, scimType: 'invalidPath' | 'invalidValue' | 'noTarget' = 'invalidValue') =>
  new ScimHttpError(400, detail, scimType);

function memberValues(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : null;
  if (!list) throw bad(`${where}: members must be a list of {"value": "<user id>"}.`);
  return list.map((m, i) => {
    const v = (m as { value?: unknown } | null)?.value;
    if (typeof v !== 'string' || v.trim() === '' || v.length > 100)
      throw bad(`${where}[${i}].value: must be a user id.`);
    return v.trim();
  });
}

function text(value: unknown, where: string, max: number, required: boolean): string | null {
  if (value === null || value === undefined || value === '') {
    if (required) throw bad(`${where}: is required.`);
    return null;
  }
  if (typeof value !== 'string' || value.trim().length > max || (required && value.trim() === ''))
    throw bad(`${where}: must be text of at most ${max} characters.`);
  return value.trim();
}

/** The ids a `members[value eq "…"]` path names (an `or` of such comparisons is accepted too). */
function idsInFilter(f: Filter, where: string): string[] {
  if (f.op === 'or') return f.filters.flatMap((x) => idsInFilter(x, where));
  if (f.op === 'eq' && f.attrPath.toLowerCase() === 'value' && typeof f.compValue === 'string')
    return [f.compValue];
  throw bad(`${where}: only members[value eq "<user id>"] is supported.`, 'invalidPath');
}

function addMembers(plan: GroupPatchPlan, ids: string[]) {
  for (const id of ids) {
    if (plan.members.set) plan.members.set.add(id);
    else {
      plan.members.remove.delete(id);
      plan.members.add.add(id);
    }
  }
}

function removeMembers(plan: GroupPatchPlan, ids: string[]) {
  for (const id of ids) {
    if (plan.members.set) plan.members.set.delete(id);
    else {
      plan.members.add.delete(id);
      plan.members.remove.add(id);
    }
  }
}

function setMembers(plan: GroupPatchPlan, ids: string[]) {
  plan.members = { set: new Set(ids), add: new Set(), remove: new Set() };
}

function applyAttribute(
  plan: GroupPatchPlan,
  op: 'add' | 'remove' | 'replace',
  attr: string,
  value: unknown,
  where: string,
) {
  switch (attr) {
    case 'displayname':
      if (op === 'remove')
        throw bad(`${where}: displayName is required and cannot be removed.`, 'invalidPath');
      plan.displayName = text(value, where, 200, true) ?? '';
      return;
    case 'externalid':
      plan.externalId = op === 'remove' ? null : text(value, where, 256, false);
      return;
    case 'members':
      if (op === 'add') addMembers(plan, memberValues(value, where));
      else if (op === 'replace') setMembers(plan, value === null ? [] : memberValues(value, where));
      else if (value === undefined || value === null) setMembers(plan, []);
      else removeMembers(plan, memberValues(value, where));
      return;
    case 'id':
    case 'schemas':
    case 'meta':
      // Read-only: Okta repeats the id in a path-less replace; nothing to change.
      return;
    default:
      throw bad(`${where}: Groups support displayName, externalId and members.`, 'invalidPath');
  }
}

export function planGroupPatch(operations: PatchOperation[]): GroupPatchPlan {
  const plan: GroupPatchPlan = { members: { set: null, add: new Set(), remove: new Set() } };
  operations.forEach((operation, i) => {
    const op = lowerOp(operation.op);
    const where = `Operations[${i}]`;
    const path = operation.path?.trim();
    if (!path) {
      if (op === 'remove') throw bad(`${where}: remove needs a path.`, 'noTarget');
      const value = operation.value;
      if (!value || typeof value !== 'object' || Array.isArray(value))
        throw bad(`${where}.value: without a path, the value must be an object of attributes.`);
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        applyAttribute(plan, op, normalizeAttrPath(key), v, `${where}.value.${key}`);
      }
      return;
    }
    const bracket =
      /^members\[(.+)\]$/i.exec(path) ??
      /^urn:ietf:params:scim:schemas:core:2\.0:group:members\[(.+)\]$/i.exec(path);
    if (bracket) {
      if (op !== 'remove')
        throw bad(`${where}.path: a member filter is supported for remove only.`, 'invalidPath');
      let filter: Filter;
      try {
        filter = parse(bracket[1] ?? '');
      } catch {
        throw bad(`${where}.path: the member filter does not parse.`, 'invalidPath');
      }
      removeMembers(plan, idsInFilter(filter, `${where}.path`));
      return;
    }
    applyAttribute(plan, op, normalizeAttrPath(path), operation.value, `${where}.path ${path}`);
  });
  return plan;
}
