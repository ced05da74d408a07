import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { accessExceptions, people } from '../../db/schema.ts';
import { ValidationError } from '../../errors.ts';
import type { ManagerResolver } from './conflicts.ts';

/** Queries behind the people directory: one page of people, and per-page facts in one query each. */

const manager = alias(people, 'manager');

export const personColumns = {
  id: people.id,
  displayName: people.displayName,
  email: people.email,
  employeeNumber: people.employeeNumber,
  status: people.status,
  department: people.department,
  title: people.title,
  team: people.team,
  groups: people.groups,
  builderRelations: people.builderRelations,
  orgSource: people.orgSource,
  managerId: people.managerId,
  managerName: manager.displayName,
  managerNumber: manager.employeeNumber,
  sourceRecords: people.sourceRecords,
  lastSignInAt: people.lastSignInAt,
  sortKey: sql<string>`lower(${people.displayName})`,
};

export type PersonRecord = Awaited<ReturnType<typeof selectPeople>>[number];

/** Keyset cursor over (lower(name), id): the sort key comes from SQL so collation never disagrees. */
export function encodeNameCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

export function decodeNameCursor(cursor: string): { key: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(value[1])
    )
      return { key: value[0], id: value[1] };
  } catch {
    // fall through
  }
  throw new ValidationError('The cursor is not one this server issued.', [
    { field: 'query.cursor', message: 'is not a valid cursor; use nextCursor from the previous page' },
  ]);
}

export function afterCursor(after: { key: string; id: string } | null): SQL[] {
  return after ? [sql`(lower(${people.displayName}), ${people.id}) > (${after.key}, ${after.id}::uuid)`] : [];
}

export async function selectPeople(db: Db, where: SQL[], limit: number) {
  return db
    .select(personColumns)
    .from(people)
    .leftJoin(manager, eq(manager.id, people.managerId))
    .where(and(...where))
    .orderBy(sql`lower(${people.displayName})`, asc(people.id))
    .limit(limit);
}

/** SQL: the person holds an approved, unexpired exception. */
export function hasActiveException(now: Date): SQL {
  return sql`exists (select 1 from ${accessExceptions} e where e.subject_id = ${people.id}
    and e.status = 'active' and e.expires_at > ${now.toISOString()}::timestamptz)`;
}

export async function namesById(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: people.id, name: people.displayName })
    .from(people)
    .where(inArray(people.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** "Name (employee number)" by person id, as diffs and conflicts show people. */
export async function labelsById(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: people.id, displayName: people.displayName, employeeNumber: people.employeeNumber })
    .from(people)
    .where(inArray(people.id, wanted));
  return new Map(rows.map((r) => [r.id, label(r)]));
}

const label = (p: { displayName: string; employeeNumber: string | null }) =>
  p.employeeNumber ? `${p.displayName} (${p.employeeNumber})` : p.displayName;

/** Resolve manager references the way org sources send them, from everyone's identifiers (one query). */
export async function loadResolver(
  db: Db,
): Promise<{ resolve: ManagerResolver; labelOf: (id: string) => string | null }> {
  const rows = await db
    .select({
      id: people.id,
      displayName: people.displayName,
      employeeNumber: people.employeeNumber,
      userName: people.userName,
      email: people.email,
    })
    .from(people);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byKey = new Map<string, (typeof rows)[number] | null>();
  const add = (key: string | null, row: (typeof rows)[number]) => {
    if (!key) return;
    const k = key.toLowerCase();
    const seen = byKey.get(k);
    byKey.set(k, seen === undefined || seen?.id === row.id ? row : null);
  };
  for (const r of rows) {
    add(r.employeeNumber, r);
    add(r.userName, r);
    add(r.email, r);
  }
  const resolve: ManagerResolver = (ref) => {
    const hit = byId.get(ref) ?? byKey.get(ref.trim().toLowerCase()) ?? null;
    return hit ? { id: hit.id, label: label(hit) } : null;
  };
  const labelOf = (id: string) => {
    const p = byId.get(id);
    return p ? label(p) : null;
  };
  return { resolve, labelOf };
}
