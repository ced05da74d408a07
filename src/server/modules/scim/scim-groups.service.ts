import type { Db } from '../../db/client.ts';
import { audit } from '../audit/audit.service.ts';
import { markSourceSynced } from '../directory/org.core.ts';
import type { RequestContext } from '../identity/actor.ts';
import { ScimHttpError, scimNotFound } from './scim.errors.ts';
import { filterToSql } from './scim.filter.ts';
import { type GroupRef, project, wantsAttribute } from './scim.mapping.ts';
import { refreshMembers } from './scim.membership.ts';
import { planGroupPatch } from './scim.patch.ts';
import {
  type ListQuery,
  type PatchOperation,
  type ResourceQuery,
  type ScimGroup,
  type ScimGroupInput,
  URN,
} from './scim.schemas.ts';
import * as repo from './scim-groups.repo.ts';
import { UUID } from './scim-users.repo.ts';
import { type ScimDeps, scimWrite } from './scim-users.service.ts';

/**
 * SCIM Groups. A group's members are SCIM Users; after every membership change (and a rename) each affected
 * member's groups, team and Builder Relations flag are re-derived (refreshMembers), so an IdP group removal
 * applies on the member's next request.
 */

function groupResourceOf(row: repo.GroupRow, members: GroupRef[] | null, baseUrl: string): ScimGroup {
  return {
    schemas: [URN.group],
    id: row.id,
    displayName: row.displayName,
    ...(row.externalId ? { externalId: row.externalId } : {}),
    ...(members ? { members } : {}),
    meta: {
      resourceType: 'Group',
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: `${baseUrl}/Groups/${row.id}`,
    },
  };
}

export async function listGroups(deps: ScimDeps, query: ListQuery) {
  const where = query.filter ? filterToSql(query.filter, repo.GROUP_FILTER) : undefined;
  const withMembers = wantsAttribute('members', query);
  const { total, rows } = await repo.listGroups(
    deps.db,
    where,
    query.startIndex - 1,
    query.count,
    withMembers,
  );
  const resources = rows.map((r) => project(groupResourceOf(r.row, r.members, deps.baseUrl), query));
  return {
    schemas: [URN.list],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex: query.startIndex,
    Resources: resources,
  };
}

export async function getGroup(deps: ScimDeps, id: string, query: ResourceQuery): Promise<ScimGroup> {
  const found = await repo.findGroup(deps.db, id, wantsAttribute('members', query));
  if (!found) throw scimNotFound('Group', id);
  return project(groupResourceOf(found.row, found.members, deps.baseUrl), query);
}

/** Member ids must all be SCIM Users: otherwise 400 invalidValue naming them, and nothing is written. */
async function knownMembers(tx: Db, values: Iterable<string>): Promise<string[]> {
  const ids = [...new Set(values)];
  const uuids = ids.filter((v) => UUID.test(v)).map((v) => v.toLowerCase());
  const existing = await repo.existingUsers(tx, uuids);
  const unknown = ids.filter((v) => !existing.has(v.toLowerCase()));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).map((v) => JSON.stringify(v.slice(0, 100)));
    throw new ScimHttpError(
      400,
      `members: no such user ${shown.join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}.`,
      'invalidValue',
    );
  }
  return [...new Set(uuids)];
}

async function assertNameFree(tx: Db, displayName: string, self: string | null) {
  const holder = await repo.findGroupByName(tx, displayName);
  if (holder && holder.id !== self)
    throw new ScimHttpError(
      409,
      `A group named ${JSON.stringify(displayName)} already exists.`,
      'uniqueness',
    );
}

export async function createGroup(
  deps: ScimDeps,
  ctx: RequestContext,
  input: ScimGroupInput,
): Promise<ScimGroup> {
  const now = deps.now();
  const id = await scimWrite(deps, async (tx) => {
    await assertNameFree(tx, input.displayName, null);
    const members = await knownMembers(
      tx,
      (input.members ?? []).map((m) => m.value),
    );
    const row = await repo.insertGroup(tx, {
      displayName: input.displayName,
      externalId: input.externalId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await repo.addMembers(tx, row.id, members);
    await refreshMembers(tx, members, now);
    await audit(tx, ctx, {
      action: 'org.group.created',
      targetId: row.id,
      details: { displayName: row.displayName, members: members.length, added: members },
    });
    await markSourceSynced(tx, 'scim', now);
    return row.id;
  });
  return getGroup(deps, id, {});
}

interface GroupChange {
  displayName: string;
  externalId: string | null;
  members: { set: string[] } | { add: string[]; remove: string[] };
}

/** Apply a rename and/or membership change to a locked group, re-derive affected members, audit it. */
async function applyGroupChange(
  tx: Db,
  ctx: RequestContext,
  row: repo.GroupRow,
  change: GroupChange,
  now: Date,
) {
  const renamed = change.displayName !== row.displayName;
  if (renamed) await assertNameFree(tx, change.displayName, row.id);
  let added: string[];
  let removed: string[];
  if ('set' in change.members) {
    const wanted = new Set(await knownMembers(tx, change.members.set));
    const current = new Set(await repo.memberIds(tx, row.id));
    added = [...wanted].filter((id) => !current.has(id));
    removed = [...current].filter((id) => !wanted.has(id));
  } else {
    const toAdd = await knownMembers(tx, change.members.add);
    const removeIds = [
      ...new Set(change.members.remove.filter((v) => UUID.test(v)).map((v) => v.toLowerCase())),
    ];
    const present = await repo.membersAmong(tx, row.id, [...toAdd, ...removeIds]);
    added = toAdd.filter((id) => !present.has(id));
    removed = removeIds.filter((id) => present.has(id));
  }
  const externalChanged = (change.externalId ?? null) !== (row.externalId ?? null);
  if (!renamed && !externalChanged && added.length === 0 && removed.length === 0) return;
  await repo.updateGroup(tx, row.id, {
    displayName: change.displayName,
    externalId: change.externalId,
    updatedAt: now,
  });
  await repo.removeMembers(tx, row.id, removed);
  await repo.addMembers(tx, row.id, added);
  // A rename changes every member's group names; otherwise only those added or removed are affected.
  const affected = renamed ? [...(await repo.memberIds(tx, row.id)), ...removed] : [...added, ...removed];
  await refreshMembers(tx, affected, now);
  await audit(tx, ctx, {
    action: 'org.group.updated',
    targetId: row.id,
    details: {
      displayName: change.displayName,
      added,
      removed,
      ...(renamed ? { renamedFrom: row.displayName } : {}),
    },
  });
}

/** PUT /Groups/:id: displayName, externalId and the full member list. */
export async function replaceGroup(
  deps: ScimDeps,
  ctx: RequestContext,
  id: string,
  input: ScimGroupInput,
): Promise<ScimGroup> {
  const now = deps.now();
  await scimWrite(deps, async (tx) => {
    const row = await repo.lockGroup(tx, id);
    if (!row) throw scimNotFound('Group', id);
    await applyGroupChange(
      tx,
      ctx,
      row,
      {
        displayName: input.displayName,
        externalId: input.externalId ?? null,
        members: { set: (input.members ?? []).map((m) => m.value) },
      },
      now,
    );
    await markSourceSynced(tx, 'scim', now);
  });
  return getGroup(deps, id, {});
}

/** PATCH /Groups/:id: member add/remove (Okta's forms), replace of members, displayName or externalId. */
export async function patchGroup(
  deps: ScimDeps,
  ctx: RequestContext,
  id: string,
  operations: PatchOperation[],
): Promise<void> {
  const plan = planGroupPatch(operations);
  const now = deps.now();
  await scimWrite(deps, async (tx) => {
    const row = await repo.lockGroup(tx, id);
    if (!row) throw scimNotFound('Group', id);
    const { set, add, remove } = plan.members;
    await applyGroupChange(
      tx,
      ctx,
      row,
      {
        displayName: plan.displayName ?? row.displayName,
        externalId: plan.externalId === undefined ? row.externalId : plan.externalId,
        members: set ? { set: [...set] } : { add: [...add], remove: [...remove] },
      },
      now,
    );
    await markSourceSynced(tx, 'scim', now);
  });
}

/** DELETE /Groups/:id: the group goes; its members lose it (re-derived). */
export async function deleteGroup(deps: ScimDeps, ctx: RequestContext, id: string): Promise<void> {
  const now = deps.now();
  await scimWrite(deps, async (tx) => {
    const row = await repo.lockGroup(tx, id);
    if (!row) throw scimNotFound('Group', id);
    const members = await repo.memberIds(tx, id);
    await repo.deleteGroup(tx, id);
    await refreshMembers(tx, members, now);
    await audit(tx, ctx, {
      action: 'org.group.deleted',
      targetId: id,
      details: { displayName: row.displayName, members: members.length, removed: members },
    });
    await markSourceSynced(tx, 'scim', now);
  });
}
