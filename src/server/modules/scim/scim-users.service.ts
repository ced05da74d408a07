import { randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { audit } from '../audit/audit.service.ts';
import {
  assertNoCycle,
  deactivatePerson,
  lockOrg,
  markSourceSynced,
  reactivatePerson,
  recordSourceAssertion,
  resolveManagerRef,
  resolvePendingManagerRefs,
  wouldCycle,
} from '../directory/org.core.ts';
import type { RequestContext } from '../identity/actor.ts';
import { isUniqueViolation, ScimHttpError, scimNotFound } from './scim.errors.ts';
import { filterToSql } from './scim.filter.ts';
import {
  EMPLOYEE_NUMBER_FIELD,
  MANAGER_FIELD,
  type PersonFields,
  patchBaseOf,
  personFieldsOf,
  project,
  storedResourceOf,
  userResourceOf,
} from './scim.mapping.ts';
import { refreshMembers } from './scim.membership.ts';
import { patchUser as applyUserPatch } from './scim.patch.ts';
import {
  type ListQuery,
  type PatchOperation,
  type ResourceQuery,
  type ScimUser,
  ScimUserInput,
  URN,
} from './scim.schemas.ts';
import * as groupsRepo from './scim-groups.repo.ts';
import * as repo from './scim-users.repo.ts';

export interface ScimDeps {
  db: Db;
  now: () => Date;
  /** Absolute base of the SCIM endpoints, for meta.location and Location (e.g. https://bi.example.com/scim/v2). */
  baseUrl: string;
}

/** Every SCIM write: serialized with the org lock; a unique-index race answers 409 uniqueness, not 500. */
export async function scimWrite<T>(deps: ScimDeps, work: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await deps.db.transaction(async (tx) => {
      await lockOrg(tx);
      return work(tx);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ScimHttpError(
        409,
        'A concurrent change took this userName, employee number or name.',
        'uniqueness',
      );
    throw err;
  }
}

export async function listUsers(deps: ScimDeps, query: ListQuery) {
  const where = query.filter ? filterToSql(query.filter, repo.USER_FILTER) : undefined;
  const { total, rows } = await repo.listUsers(deps.db, where, query.startIndex - 1, query.count);
  const resources = rows.map((r) => project(userResourceOf(r.row, r.groups, deps.baseUrl), query));
  return {
    schemas: [URN.list],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex: query.startIndex,
    Resources: resources,
  };
}

async function userOrThrow(deps: ScimDeps, id: string): Promise<ScimUser> {
  const found = await repo.findUser(deps.db, id);
  if (!found) throw scimNotFound('User', id);
  return userResourceOf(found.row, found.groups, deps.baseUrl);
}

export async function getUser(deps: ScimDeps, id: string, query: ResourceQuery): Promise<ScimUser> {
  return project(await userOrThrow(deps, id), query);
}

const duplicate = (userName: string) =>
  new ScimHttpError(409, `userName ${JSON.stringify(userName)} is already taken.`, 'uniqueness');

/** A manager reference: what the core resolver matches (id, employee number, login, e-mail), else the IdP's id. */
async function resolveManager(tx: Db, ref: string | null): Promise<string | null> {
  if (!ref) return null;
  return (await resolveManagerRef(tx, ref)) ?? (await repo.personByExternalId(tx, ref));
}

type Target =
  | { kind: 'new' }
  | { kind: 'adopt'; row: repo.PersonRow }
  | { kind: 'update'; row: repo.PersonRow };

function changedFields(
  before: repo.PersonRow,
  after: PersonFields,
  stored: Record<string, unknown>,
): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['userName', before.userName, after.userName],
    ['externalId', before.externalId, after.externalId],
    ['displayName', before.displayName, after.displayName],
    ['email', before.email, after.email],
    ['title', before.title, after.title],
    ['department', before.department, after.department],
    ['employeeNumber', before.employeeNumber, after.employeeNumber],
    ['manager', before.managerRef, after.managerRef],
  ];
  const changed = pairs.filter(([, a, b]) => (a ?? null) !== (b ?? null)).map(([name]) => name);
  const { active: _a, ...beforeRest } = before.scimResource ?? {};
  const { active: _b, ...afterRest } = stored;
  // jsonb does not keep key order: compare canonical forms.
  if (changed.length === 0 && canonicalize(beforeRest) !== canonicalize(afterRest))
    changed.push('attributes');
  return changed;
}

/**
 * Create, adopt or update a person from a SCIM User, in the caller's transaction: uniqueness, manager (never a
 * loop), the person's columns and stored representation, their groups/team/Builder Relations, what SCIM asserted,
 * pending manager references, the audit trail, and deactivation or reactivation (sessions and tokens end with it).
 */
async function writeUser(
  tx: Db,
  ctx: RequestContext,
  target: Target,
  input: ScimUserInput,
  now: Date,
): Promise<string> {
  const fields = personFieldsOf(input);
  const stored = storedResourceOf(input);
  const before = target.kind === 'new' ? null : target.row;
  const id = before?.id ?? randomUUID();

  const holder = await repo.findByUserName(tx, fields.userName);
  if (holder && holder.id !== id) throw duplicate(fields.userName);
  if (fields.employeeNumber) {
    const other = await repo.employeeNumberHolder(tx, fields.employeeNumber);
    if (other && other !== id)
      throw new ScimHttpError(
        409,
        `${EMPLOYEE_NUMBER_FIELD}: another person already holds employee number ${JSON.stringify(fields.employeeNumber)}.`,
        'uniqueness',
      );
  }
  const managerId = await resolveManager(tx, fields.managerRef);
  if (before) await assertNoCycle(tx, id, managerId, MANAGER_FIELD);

  const columns = {
    userName: fields.userName,
    externalId: fields.externalId,
    displayName: fields.displayName,
    email: fields.email,
    title: fields.title,
    department: fields.department,
    employeeNumber: fields.employeeNumber,
    managerRef: fields.managerRef,
    managerId: managerId === id ? null : managerId,
    orgSource: 'scim' as const,
    scimResource: stored,
    updatedAt: now,
  };
  if (!before) {
    await repo.insertPerson(tx, {
      id,
      ...columns,
      status: fields.active ? 'active' : 'deactivated',
      deactivatedAt: fields.active ? null : now,
      groups: [],
      createdAt: now,
    });
  } else {
    // A person first seen through SSO becomes active once SCIM provisions them.
    const activate = before.status === 'provisional' && fields.active ? { status: 'active' as const } : {};
    await repo.updatePerson(tx, id, { ...columns, ...activate });
  }
  await refreshMembers(tx, [id], now);
  await recordSourceAssertion(
    tx,
    id,
    'scim',
    {
      userName: fields.userName,
      externalId: fields.externalId,
      email: fields.email,
      displayName: fields.displayName,
      title: fields.title,
      department: fields.department,
      employeeNumber: fields.employeeNumber,
      managerRef: fields.managerRef,
      active: fields.active,
    },
    now,
  );
  await resolvePendingManagerRefs(tx, {
    id,
    employeeNumber: fields.employeeNumber,
    userName: fields.userName,
    email: fields.email,
  });
  if (fields.externalId) {
    for (const waiting of await repo.waitingForExternalId(tx, fields.externalId)) {
      if (!(await wouldCycle(tx, waiting.id, id))) await repo.setManager(tx, waiting.id, id);
    }
  }

  if (!before) {
    await audit(tx, ctx, {
      action: 'org.person.created',
      targetId: id,
      details: { source: 'scim', userName: fields.userName, employeeNumber: fields.employeeNumber },
    });
  } else {
    const changed = changedFields(before, fields, stored);
    if (target.kind === 'adopt') changed.unshift('orgSource');
    if (changed.length > 0) {
      await audit(tx, ctx, {
        action: 'org.person.updated',
        targetId: id,
        details: {
          source: 'scim',
          changed,
          ...(changed.includes('manager') ? { managerId: columns.managerId } : {}),
          ...(changed.includes('department') ? { department: fields.department } : {}),
        },
      });
    }
    if (!fields.active && before.status !== 'deactivated') await deactivatePerson(tx, ctx, id, 'scim', now);
    if (fields.active && before.status === 'deactivated') await reactivatePerson(tx, ctx, id, 'scim', now);
  }
  await markSourceSynced(tx, 'scim', now);
  return id;
}

/**
 * POST /Users. The login must be free. A person who already signed in with SSO (no org source yet) and is this
 * User — the IdP's id as their subject, or their e-mail as the login or a User e-mail — is adopted rather than
 * duplicated, and so is a User SCIM deleted earlier (same login). A person the HR feed manages is not taken over.
 */
export async function createUser(
  deps: ScimDeps,
  ctx: RequestContext,
  input: ScimUserInput,
): Promise<ScimUser> {
  const now = deps.now();
  const id = await scimWrite(deps, async (tx) => {
    const fields = personFieldsOf(input);
    const holder = await repo.findByUserName(tx, fields.userName);
    if (holder) {
      if (holder.orgSource === 'hr')
        throw new ScimHttpError(
          409,
          `userName ${JSON.stringify(fields.userName)} belongs to a person the HR feed manages; one org source manages a person.`,
          'uniqueness',
        );
      if (holder.orgSource === 'scim' && holder.scimResource) throw duplicate(fields.userName);
      return writeUser(tx, ctx, { kind: 'adopt', row: holder }, input, now);
    }
    const logins = [fields.userName, fields.email, ...(input.emails ?? []).map((e) => e.value)];
    const candidates = await repo.adoptionCandidates(tx, { externalId: fields.externalId, logins });
    if (candidates.length > 1)
      throw new ScimHttpError(
        409,
        'More than one existing person matches this user’s e-mail addresses; resolve the duplicate first.',
        'uniqueness',
      );
    const adoptee = candidates[0];
    return writeUser(tx, ctx, adoptee ? { kind: 'adopt', row: adoptee } : { kind: 'new' }, input, now);
  });
  return userOrThrow(deps, id);
}

/** PUT /Users/:id: a full replace; attributes left out are cleared. */
export async function replaceUser(
  deps: ScimDeps,
  ctx: RequestContext,
  id: string,
  input: ScimUserInput,
): Promise<ScimUser> {
  const now = deps.now();
  await scimWrite(deps, async (tx) => {
    const row = await repo.lockUser(tx, id);
    if (!row) throw scimNotFound('User', id);
    await writeUser(tx, ctx, { kind: 'update', row }, input, now);
  });
  return userOrThrow(deps, id);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.map(String).join('.') || 'resource'}: ${i.message}`)
    .join('; ');
}

/** PATCH /Users/:id: the operations apply to the current representation; the result is validated like a PUT. */
export async function patchUser(
  deps: ScimDeps,
  ctx: RequestContext,
  id: string,
  operations: PatchOperation[],
): Promise<ScimUser> {
  const now = deps.now();
  await scimWrite(deps, async (tx) => {
    const row = await repo.lockUser(tx, id);
    if (!row) throw scimNotFound('User', id);
    const patched = applyUserPatch(patchBaseOf(row), operations);
    const parsed = ScimUserInput.safeParse(patched);
    if (!parsed.success)
      throw new ScimHttpError(
        400,
        `The patched user is invalid. ${describeIssues(parsed.error)}.`,
        'invalidValue',
      );
    await writeUser(tx, ctx, { kind: 'update', row }, parsed.data, now);
  });
  return userOrThrow(deps, id);
}

/**
 * DELETE /Users/:id: never erased. The person is deactivated (sessions end, tokens are revoked), leaves their
 * SCIM groups, and is no longer a SCIM User (404 from now on); a later POST with the same userName brings the
 * same person back.
 */
export async function deleteUser(deps: ScimDeps, ctx: RequestContext, id: string): Promise<void> {
  const now = deps.now();
  await scimWrite(deps, async (tx) => {
    const row = await repo.lockUser(tx, id);
    if (!row) throw scimNotFound('User', id);
    for (const group of await groupsRepo.groupsOfPerson(tx, id)) {
      await groupsRepo.updateGroup(tx, group.id, { updatedAt: now });
      await audit(tx, ctx, {
        action: 'org.group.updated',
        targetId: group.id,
        details: { displayName: group.displayName, added: [], removed: [id] },
      });
    }
    await groupsRepo.removePersonFromAllGroups(tx, id);
    if (row.status !== 'deactivated') await deactivatePerson(tx, ctx, id, 'scim', now);
    await repo.updatePerson(tx, id, { scimResource: null, updatedAt: now });
    await refreshMembers(tx, [id], now);
    await audit(tx, ctx, {
      action: 'org.person.updated',
      targetId: id,
      details: { source: 'scim', changed: ['deprovisioned'] },
    });
    await markSourceSynced(tx, 'scim', now);
  });
}
