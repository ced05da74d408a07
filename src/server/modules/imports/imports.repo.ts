import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { ImportAliasList } from '../../../contract/api/imports.ts';
import type { Db } from '../../db/client.ts';
import { eventImports, importColumnAliases } from '../../db/schema.program.ts';
import { people } from '../../db/schema.ts';

/**
 * PMO imports and learned column aliases. Reads that answer a caller take the visibility condition
 * (`importReadScope`) as `scope`.
 */
export type ImportRecord = typeof eventImports.$inferSelect;
export type Joined = { record: ImportRecord; actorName: string };
export type AliasRecord = typeof importColumnAliases.$inferSelect;

const columns = { record: eventImports, actorName: people.displayName };

/** An import the scope lets the caller see; `lock` holds it until the transaction ends. */
export async function findVisible(db: Db, scope: SQL, id: string, lock = false): Promise<Joined | null> {
  const query = db
    .select(columns)
    .from(eventImports)
    .innerJoin(people, eq(people.id, eventImports.actorId))
    .where(and(scope, eq(eventImports.id, id)))
    .limit(1);
  const [row] = lock ? await query.for('update', { of: eventImports }) : await query;
  return row ?? null;
}

/** Unscoped, locked: for the apply worker, which acts for the person who started it. */
export async function lockById(db: Db, id: string): Promise<ImportRecord | null> {
  const [row] = await db.select().from(eventImports).where(eq(eventImports.id, id)).limit(1).for('update');
  return row ?? null;
}

export async function listVisible(db: Db, scope: SQL, limit: number): Promise<Joined[]> {
  return db
    .select(columns)
    .from(eventImports)
    .innerJoin(people, eq(people.id, eventImports.actorId))
    .where(scope)
    .orderBy(desc(eventImports.createdAt), desc(eventImports.id))
    .limit(limit);
}

export async function insertImport(db: Db, row: typeof eventImports.$inferInsert): Promise<void> {
  await db.insert(eventImports).values(row);
}

export async function updateImport(
  db: Db,
  id: string,
  patch: Partial<typeof eventImports.$inferInsert>,
): Promise<void> {
  await db.update(eventImports).set(patch).where(eq(eventImports.id, id));
}

/** Learned aliases as normalised header key → field. */
export async function aliasMap(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .select({ key: importColumnAliases.headerKey, field: importColumnAliases.field })
    .from(importColumnAliases);
  return new Map(rows.map((r) => [r.key, r.field]));
}

export async function aliasesByKey(db: Db, keys: readonly string[]): Promise<Map<string, AliasRecord>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select()
    .from(importColumnAliases)
    .where(inArray(importColumnAliases.headerKey, [...keys]))
    .for('update');
  return new Map(rows.map((r) => [r.headerKey, r]));
}

export async function insertAlias(db: Db, row: typeof importColumnAliases.$inferInsert): Promise<void> {
  await db.insert(importColumnAliases).values(row);
}

export async function updateAlias(
  db: Db,
  id: string,
  patch: Partial<typeof importColumnAliases.$inferInsert>,
): Promise<void> {
  await db.update(importColumnAliases).set(patch).where(eq(importColumnAliases.id, id));
}

export async function countAliasUses(db: Db, keys: readonly string[], at: Date): Promise<void> {
  if (keys.length === 0) return;
  await db
    .update(importColumnAliases)
    .set({ uses: sql`${importColumnAliases.uses} + 1`, updatedAt: at })
    .where(inArray(importColumnAliases.headerKey, [...keys]));
}

export async function listAliases(db: Db): Promise<ImportAliasList> {
  const rows = await db
    .select({ alias: importColumnAliases, learnedByName: people.displayName })
    .from(importColumnAliases)
    .leftJoin(people, eq(people.id, importColumnAliases.learnedBy))
    .orderBy(importColumnAliases.field, importColumnAliases.headerKey);
  return {
    items: rows.map(({ alias, learnedByName }) => ({
      id: alias.id,
      header: alias.header,
      field: alias.field as ImportAliasList['items'][number]['field'],
      uses: alias.uses,
      learnedBy: alias.learnedBy && learnedByName ? { id: alias.learnedBy, name: learnedByName } : null,
      createdAt: alias.createdAt.toISOString(),
      updatedAt: alias.updatedAt.toISOString(),
    })),
  };
}

export async function findAlias(db: Db, id: string, lock = false): Promise<AliasRecord | null> {
  const query = db.select().from(importColumnAliases).where(eq(importColumnAliases.id, id)).limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function deleteAlias(db: Db, id: string): Promise<void> {
  await db.delete(importColumnAliases).where(eq(importColumnAliases.id, id));
}
