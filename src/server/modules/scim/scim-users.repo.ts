import { and, asc, count, eq, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { people, scimGroupMembers, scimGroups } from '../../db/schema.ts';
import type { FilterAttributes } from './scim.filter.ts';
import type { GroupRef } from './scim.mapping.ts';

export type PersonRow = typeof people.$inferSelect;
export type NewPersonRow = typeof people.$inferInsert;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A SCIM User is a person SCIM manages and has not deleted (a deleted one is kept, deactivated, but gone here). */
export const isScimUser = and(eq(people.orgSource, 'scim'), isNotNull(people.scimResource));

/** A list of ids as ONE bound parameter (a 10,000-member change is not 10,000 parameters). */
export const idList = (ids: readonly string[]) =>
  sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/** Values decoded from json columns (the pg driver parses json; be safe when one hands back text). */
export function fromJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** The SCIM attributes a /Users filter may name, as columns (stored attributes read from scim_resource). */
export const USER_FILTER: FilterAttributes = {
  id: { kind: 'uuid', column: sql`${people.id}` },
  username: { kind: 'text_ci', column: sql`${people.userName}` },
  externalid: { kind: 'text', column: sql`${people.externalId}` },
  displayname: { kind: 'text_ci', column: sql`${people.displayName}` },
  title: { kind: 'text_ci', column: sql`${people.title}` },
  active: { kind: 'bool', column: sql`(${people.status} <> 'deactivated')` },
  'name.givenname': { kind: 'text_ci', column: sql`(${people.scimResource} #>> '{name,givenName}')` },
  'name.familyname': { kind: 'text_ci', column: sql`(${people.scimResource} #>> '{name,familyName}')` },
  'name.formatted': { kind: 'text_ci', column: sql`(${people.scimResource} #>> '{name,formatted}')` },
  emails: {
    kind: 'multi',
    from: sql`jsonb_array_elements(case when jsonb_typeof(${people.scimResource}->'emails') = 'array' then ${people.scimResource}->'emails' else '[]'::jsonb end) as v(e)`,
    on: sql`true`,
    defaultSub: 'value',
    sub: {
      value: { kind: 'text_ci', column: sql`(v.e->>'value')` },
      type: { kind: 'text_ci', column: sql`(v.e->>'type')` },
      primary: { kind: 'bool', column: sql`coalesce((v.e->>'primary')::boolean, false)` },
    },
  },
  'enterprise:employeenumber': { kind: 'text', column: sql`${people.employeeNumber}` },
  'enterprise:department': { kind: 'text_ci', column: sql`${people.department}` },
  'enterprise:manager.value': { kind: 'text', column: sql`${people.managerRef}` },
  'meta.created': { kind: 'datetime', column: sql`${people.createdAt}` },
  'meta.lastmodified': { kind: 'datetime', column: sql`${people.updatedAt}` },
};
// Lenient: the enterprise attributes also without their URN (some clients send them so).
USER_FILTER.employeenumber = USER_FILTER['enterprise:employeenumber'] as FilterAttributes[string];
USER_FILTER.department = USER_FILTER['enterprise:department'] as FilterAttributes[string];
USER_FILTER['manager.value'] = USER_FILTER['enterprise:manager.value'] as FilterAttributes[string];

/** The outer row's id in a correlated subquery (drizzle leaves single-table columns unqualified). */
const outerPersonId = sql.raw('"people"."id"');

const groupsJson = sql<unknown>`(select json_agg(json_build_object('value', g.id, 'display', g.display_name)
  order by lower(g.display_name), g.id)
  from ${scimGroupMembers} m join ${scimGroups} g on g.id = m.group_id where m.person_id = ${outerPersonId})`;

export async function findUser(db: Db, id: string): Promise<{ row: PersonRow; groups: GroupRef[] } | null> {
  if (!UUID.test(id)) return null;
  const [found] = await db
    .select({ row: people, groups: groupsJson })
    .from(people)
    .where(and(eq(people.id, id), isScimUser))
    .limit(1);
  return found ? { row: found.row, groups: fromJson<GroupRef[]>(found.groups, []) } : null;
}

/** The SCIM User, locked until the transaction ends. */
export async function lockUser(tx: Db, id: string): Promise<PersonRow | null> {
  if (!UUID.test(id)) return null;
  const [row] = await tx
    .select()
    .from(people)
    .where(and(eq(people.id, id), isScimUser))
    .limit(1)
    .for('update');
  return row ?? null;
}

/** One page of Users matching a filter, with their groups, in one query; and how many match in all. */
export async function listUsers(db: Db, where: SQL | undefined, offset: number, limit: number) {
  const condition = where ? and(isScimUser, where) : isScimUser;
  const [total] = await db.select({ n: count() }).from(people).where(condition);
  const rows =
    limit === 0
      ? []
      : await db
          .select({ row: people, groups: groupsJson })
          .from(people)
          .where(condition)
          .orderBy(asc(people.createdAt), asc(people.id))
          .limit(limit)
          .offset(offset);
  return {
    total: Number(total?.n ?? 0),
    rows: rows.map((r) => ({ row: r.row, groups: fromJson<GroupRef[]>(r.groups, []) })),
  };
}

/** Anyone holding this login (case-insensitive), SCIM-managed or not. */
export async function findByUserName(tx: Db, userName: string): Promise<PersonRow | null> {
  const [row] = await tx
    .select()
    .from(people)
    .where(sql`lower(${people.userName}) = lower(${userName})`)
    .limit(1);
  return row ?? null;
}

export async function employeeNumberHolder(tx: Db, employeeNumber: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: people.id })
    .from(people)
    .where(eq(people.employeeNumber, employeeNumber))
    .limit(1);
  return row?.id ?? null;
}

/**
 * People no org source manages yet (they signed in with SSO before provisioning) who are this SCIM User: the
 * IdP's user id as their subject, or their e-mail as the login or an e-mail of the User. At most 2 (ambiguity).
 */
export async function adoptionCandidates(
  tx: Db,
  match: { externalId: string | null; logins: string[] },
): Promise<PersonRow[]> {
  const logins = [...new Set(match.logins.map((l) => l.toLowerCase()))];
  const bySubject = match.externalId
    ? await tx
        .select()
        .from(people)
        .where(and(isNull(people.orgSource), eq(people.subject, match.externalId)))
        .limit(2)
    : [];
  if (bySubject.length > 0) return bySubject;
  return tx
    .select()
    .from(people)
    .where(
      and(
        isNull(people.orgSource),
        or(
          sql`lower(${people.email}) in (select jsonb_array_elements_text(${JSON.stringify(logins)}::jsonb))`,
          sql`lower(${people.userName}) in (select jsonb_array_elements_text(${JSON.stringify(logins)}::jsonb))`,
        ),
      ),
    )
    .limit(2);
}

/** A manager named by the IdP's own user id (SCIM externalId), when the core resolver found nobody. */
export async function personByExternalId(tx: Db, externalId: string): Promise<string | null> {
  const rows = await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.externalId, externalId), eq(people.orgSource, 'scim')))
    .limit(2);
  return rows.length === 1 && rows[0] ? rows[0].id : null;
}

/** People waiting for a manager whose reference is this externalId. */
export async function waitingForExternalId(tx: Db, externalId: string) {
  return tx
    .select({ id: people.id })
    .from(people)
    .where(and(isNull(people.managerId), eq(people.managerRef, externalId)));
}

export async function insertPerson(tx: Db, row: NewPersonRow): Promise<PersonRow> {
  const [inserted] = await tx.insert(people).values(row).returning();
  if (!inserted) throw new Error('insert people returned no row');
  return inserted;
}

export async function updatePerson(tx: Db, id: string, patch: Partial<NewPersonRow>): Promise<PersonRow> {
  const [row] = await tx.update(people).set(patch).where(eq(people.id, id)).returning();
  if (!row) throw new Error('update people returned no row');
  return row;
}

export async function setManager(tx: Db, id: string, managerId: string) {
  await tx.update(people).set({ managerId }).where(eq(people.id, id));
}
