import { and, asc, count, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { SavedView } from '../../../contract/api/review.ts';
import type { Db } from '../../db/client.ts';
import { savedViews } from '../../db/schema.reporting.ts';
import { people } from '../../db/schema.ts';
import { ValidationError } from '../../errors.ts';

/**
 * Saved views with their owner's name. Reads that answer a caller take the visibility condition
 * (`savedViewReadScope`) as `scope`; the unscoped probes only tell a resend from a collision and are never
 * returned to anyone.
 */

export type SavedViewRow = typeof savedViews.$inferSelect;
type Joined = { view: SavedViewRow; ownerName: string };

const columns = { view: savedViews, ownerName: people.displayName };

export function toSavedView({ view, ownerName }: Joined, personId: string): SavedView {
  return {
    id: view.id,
    name: view.name,
    filters: Object.fromEntries(Object.entries(view.filters).map(([k, v]) => [k, String(v)])),
    shared: view.shared,
    owner: { id: view.ownerId, name: ownerName },
    mine: view.ownerId === personId,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  };
}

/** A view the scope lets the caller see; `lock` holds it until the transaction ends (edit, delete). */
export async function findVisible(db: Db, scope: SQL, id: string, lock = false): Promise<Joined | null> {
  const query = db
    .select(columns)
    .from(savedViews)
    .innerJoin(people, eq(people.id, savedViews.ownerId))
    .where(and(scope, eq(savedViews.id, id)))
    .limit(1);
  const [row] = lock ? await query.for('update', { of: savedViews }) : await query;
  return row ?? null;
}

/** Unscoped: only to read back a view right after a write the caller was authorized for. */
export async function findById(db: Db, id: string): Promise<Joined | null> {
  const [row] = await db
    .select(columns)
    .from(savedViews)
    .innerJoin(people, eq(people.id, savedViews.ownerId))
    .where(eq(savedViews.id, id))
    .limit(1);
  return row ?? null;
}

/** Unscoped: whose view this id is, to tell an idempotent resend from an id someone else already used. */
export async function unsafeOwnerOf(db: Db, id: string): Promise<string | null> {
  const [row] = await db
    .select({ ownerId: savedViews.ownerId })
    .from(savedViews)
    .where(eq(savedViews.id, id))
    .limit(1);
  return row?.ownerId ?? null;
}

/**
 * Serializes one person's saved-view writes (the per-person limit and unique names are checked, then
 * written): a row lock on the owner that does not block anything referencing them.
 */
export async function lockOwner(tx: Db, ownerId: string): Promise<void> {
  await tx.select({ id: people.id }).from(people).where(eq(people.id, ownerId)).for('no key update');
}

export async function countOwned(db: Db, ownerId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(savedViews).where(eq(savedViews.ownerId, ownerId));
  return Number(row?.n ?? 0);
}

/** Whether the owner already has another view with this name, ignoring case (the unique index's rule). */
export async function nameTaken(db: Db, ownerId: string, name: string, exceptId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(
      and(
        eq(savedViews.ownerId, ownerId),
        sql`lower(${savedViews.name}) = lower(${name})`,
        exceptId ? ne(savedViews.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Which unique index refused a write (PostgreSQL 23505), however deep the driver wrapped the error: 'name' for
 * the per-owner name index, 'id' for any other (the primary key); null when it is not a unique violation.
 */
export function uniqueViolation(err: unknown): 'name' | 'id' | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth += 1) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505') return constraint === 'saved_views_owner_name_idx' ? 'name' : 'id';
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export async function insertView(tx: Db, row: typeof savedViews.$inferInsert): Promise<void> {
  await tx.insert(savedViews).values(row);
}

export async function updateView(
  tx: Db,
  id: string,
  changes: Partial<Pick<SavedViewRow, 'name' | 'filters' | 'shared' | 'updatedAt'>>,
): Promise<void> {
  await tx.update(savedViews).set(changes).where(eq(savedViews.id, id));
}

export async function deleteView(tx: Db, id: string): Promise<void> {
  await tx.delete(savedViews).where(eq(savedViews.id, id));
}

/** Keyset position in "mine first, then by name": [0 mine | 1 shared by others, lower(name), id]. */
export interface ListPosition {
  group: number;
  key: string;
  id: string;
}

export function encodeListCursor(p: ListPosition): string {
  return Buffer.from(JSON.stringify([p.group, p.key, p.id])).toString('base64url');
}

export function decodeListCursor(cursor: string): ListPosition {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      (v[0] === 0 || v[0] === 1) &&
      typeof v[1] === 'string' &&
      typeof v[2] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[2])
    )
      return { group: v[0], key: v[1], id: v[2] };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('The cursor is not one this server issued.', [
    { field: 'query.cursor', message: 'is not a valid cursor; use nextCursor from the previous page' },
  ]);
}

/** One page of the views the caller sees, mine first, then by name; one extra row tells whether more exist. */
export async function listVisible(
  db: Db,
  scope: SQL,
  personId: string,
  page: { limit: number; after: ListPosition | null },
) {
  const group = sql<number>`(case when ${savedViews.ownerId} = ${personId} then 0 else 1 end)`.mapWith(
    Number,
  );
  const key = sql<string>`lower(${savedViews.name})`;
  const after = page.after
    ? sql`(${group}, ${key}, ${savedViews.id}) > (${page.after.group}::int, ${page.after.key}, ${page.after.id}::uuid)`
    : undefined;
  const rows = await db
    .select({ ...columns, group, key })
    .from(savedViews)
    .innerJoin(people, eq(people.id, savedViews.ownerId))
    .where(and(scope, after))
    .orderBy(group, key, asc(savedViews.id))
    .limit(page.limit + 1);
  const hasMore = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items,
    next: hasMore && last ? { group: last.group, key: last.key, id: last.view.id } : null,
  };
}
