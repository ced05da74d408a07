import { and, asc, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { people, scimGroupMembers, scimGroups } from '../../db/schema.ts';
import type { FilterAttributes } from './scim.filter.ts';
import type { GroupRef } from './scim.mapping.ts';
import { fromJson, idList, isScimUser, UUID } from './scim-users.repo.ts';

export type GroupRow = typeof scimGroups.$inferSelect;

/** The outer row's id in a correlated subquery (drizzle leaves single-table columns unqualified). */
const outerGroupId = sql.raw('"scim_groups"."id"');

/** The SCIM attributes a /Groups filter may name. */
export const GROUP_FILTER: FilterAttributes = {
  id: { kind: 'uuid', column: sql`${scimGroups.id}` },
  displayname: { kind: 'text_ci', column: sql`${scimGroups.displayName}` },
  externalid: { kind: 'text', column: sql`${scimGroups.externalId}` },
  members: {
    kind: 'multi',
    from: sql`${scimGroupMembers} v`,
    on: sql`v.group_id = ${outerGroupId}`,
    defaultSub: 'value',
    sub: { value: { kind: 'uuid', column: sql`v.person_id` } },
  },
  'meta.created': { kind: 'datetime', column: sql`${scimGroups.createdAt}` },
  'meta.lastmodified': { kind: 'datetime', column: sql`${scimGroups.updatedAt}` },
};

/** Members as the Group answers them, in one aggregate (value, display), ordered for stable output. */
const membersJson = sql<unknown>`(select json_agg(json_build_object('value', m.person_id, 'display', p.display_name)
  order by m.person_id)
  from ${scimGroupMembers} m join ${people} p on p.id = m.person_id where m.group_id = ${outerGroupId})`;

export interface GroupWithMembers {
  row: GroupRow;
  /** Null when the caller did not ask for members (excludedAttributes=members): not even loaded. */
  members: GroupRef[] | null;
}

export async function findGroup(db: Db, id: string, withMembers: boolean): Promise<GroupWithMembers | null> {
  if (!UUID.test(id)) return null;
  const [found] = await db
    .select({ row: scimGroups, members: withMembers ? membersJson : sql<unknown>`null` })
    .from(scimGroups)
    .where(eq(scimGroups.id, id))
    .limit(1);
  return found
    ? { row: found.row, members: withMembers ? fromJson<GroupRef[]>(found.members, []) : null }
    : null;
}

export async function lockGroup(tx: Db, id: string): Promise<GroupRow | null> {
  if (!UUID.test(id)) return null;
  const [row] = await tx.select().from(scimGroups).where(eq(scimGroups.id, id)).limit(1).for('update');
  return row ?? null;
}

/**
 * A page of groups: one count, then one statement that pages first (the `page` CTE: filter, order, offset,
 * limit) and aggregates only that page's memberships in one join grouped by group — never a query per group,
 * never members of the rows an offset skips. Members come as two JSON arrays in the same order (ids, names):
 * scalar arrays cost PostgreSQL and the JSON parser far less than one object per member.
 */
export async function listGroups(
  db: Db,
  where: SQL | undefined,
  offset: number,
  limit: number,
  withMembers: boolean,
) {
  const [total] = await db.select({ n: count() }).from(scimGroups).where(where);
  const paged = db
    .select()
    .from(scimGroups)
    .where(where)
    .orderBy(asc(scimGroups.createdAt), asc(scimGroups.id))
    .limit(limit)
    .offset(offset);
  let rows: GroupWithMembers[] = [];
  if (limit > 0 && !withMembers) rows = (await paged).map((row) => ({ row, members: null }));
  if (limit > 0 && withMembers) {
    const page = db.$with('page').as(paged);
    const byId = sql`order by ${scimGroupMembers.personId}`;
    const agg = db.$with('agg').as(
      db
        .select({
          groupId: scimGroupMembers.groupId,
          values: sql<unknown>`json_agg(${scimGroupMembers.personId} ${byId})`.as('member_ids'),
          displays: sql<unknown>`json_agg(${people.displayName} ${byId})`.as('member_names'),
        })
        .from(scimGroupMembers)
        .innerJoin(people, eq(people.id, scimGroupMembers.personId))
        .where(inArray(scimGroupMembers.groupId, db.select({ id: page.id }).from(page)))
        .groupBy(scimGroupMembers.groupId),
    );
    const found = await db
      .with(page, agg)
      .select({
        row: {
          id: page.id,
          displayName: page.displayName,
          externalId: page.externalId,
          createdAt: page.createdAt,
          updatedAt: page.updatedAt,
        },
        values: agg.values,
        displays: agg.displays,
      })
      .from(page)
      .leftJoin(agg, eq(agg.groupId, page.id))
      .orderBy(asc(page.createdAt), asc(page.id));
    rows = found.map((r) => ({ row: r.row, members: zipMembers(r.values, r.displays) }));
  }
  return { total: Number(total?.n ?? 0), rows };
}

/** [ids] and [names] of one group, index by index, as { value, display } (no members: both are null). */
function zipMembers(valuesJson: unknown, displaysJson: unknown): GroupRef[] {
  const values = fromJson<string[]>(valuesJson, []);
  const displays = fromJson<string[]>(displaysJson, []);
  if (values.length !== displays.length)
    throw new Error('scim group members: ids and names differ in length');
  return values.map((value, i) => ({ value, display: displays[i] as string }));
}

export async function findGroupByName(tx: Db, displayName: string): Promise<GroupRow | null> {
  const [row] = await tx
    .select()
    .from(scimGroups)
    .where(sql`lower(${scimGroups.displayName}) = lower(${displayName})`)
    .limit(1);
  return row ?? null;
}

export async function insertGroup(tx: Db, row: typeof scimGroups.$inferInsert): Promise<GroupRow> {
  const [inserted] = await tx.insert(scimGroups).values(row).returning();
  if (!inserted) throw new Error('insert scim_groups returned no row');
  return inserted;
}

export async function updateGroup(tx: Db, id: string, patch: Partial<typeof scimGroups.$inferInsert>) {
  const [row] = await tx.update(scimGroups).set(patch).where(eq(scimGroups.id, id)).returning();
  if (!row) throw new Error('update scim_groups returned no row');
  return row;
}

export async function deleteGroup(tx: Db, id: string) {
  await tx.delete(scimGroups).where(eq(scimGroups.id, id));
}

export async function memberIds(tx: Db, groupId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: scimGroupMembers.personId })
    .from(scimGroupMembers)
    .where(eq(scimGroupMembers.groupId, groupId));
  return rows.map((r) => r.id);
}

/** Of these ids, the ones that are members of the group now. */
export async function membersAmong(tx: Db, groupId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: scimGroupMembers.personId })
    .from(scimGroupMembers)
    .where(and(eq(scimGroupMembers.groupId, groupId), sql`${scimGroupMembers.personId} in ${idList(ids)}`));
  return new Set(rows.map((r) => r.id));
}

/** Of these ids (already known to be UUIDs), the ones that are SCIM Users. */
export async function existingUsers(tx: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: people.id })
    .from(people)
    .where(and(isScimUser, sql`${people.id} in ${idList(ids)}`));
  return new Set(rows.map((r) => r.id));
}

const CHUNK = 5_000;

export async function addMembers(tx: Db, groupId: string, ids: readonly string[]) {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await tx.execute(sql`insert into ${scimGroupMembers} (group_id, person_id)
      select ${groupId}::uuid, id from ${idList(ids.slice(i, i + CHUNK))} as ids(id)
      on conflict do nothing`);
  }
}

export async function removeMembers(tx: Db, groupId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await tx
    .delete(scimGroupMembers)
    .where(and(eq(scimGroupMembers.groupId, groupId), sql`${scimGroupMembers.personId} in ${idList(ids)}`));
}

/** The groups a person is in (id and name), for removing them when the User is deleted. */
export async function groupsOfPerson(tx: Db, personId: string) {
  return tx
    .select({ id: scimGroups.id, displayName: scimGroups.displayName })
    .from(scimGroupMembers)
    .innerJoin(scimGroups, eq(scimGroups.id, scimGroupMembers.groupId))
    .where(eq(scimGroupMembers.personId, personId));
}

export async function removePersonFromAllGroups(tx: Db, personId: string) {
  await tx.delete(scimGroupMembers).where(eq(scimGroupMembers.personId, personId));
}
