import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { orgImports, orgSources, people } from '../../db/schema.ts';

export type OrgImportRow = typeof orgImports.$inferSelect;

export async function insertImport(tx: Db, values: typeof orgImports.$inferInsert): Promise<OrgImportRow> {
  const [row] = await tx.insert(orgImports).values(values).returning();
  if (!row) throw new Error('org import was not stored');
  return row;
}

export async function findImport(db: Db, id: string, forUpdate = false): Promise<OrgImportRow | null> {
  const query = db.select().from(orgImports).where(eq(orgImports.id, id)).limit(1);
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function updateImport(
  tx: Db,
  id: string,
  patch: Partial<Pick<OrgImportRow, 'status' | 'appliedAt'>> & { diffPatch?: Record<string, unknown> },
  onlyIfStatus?: OrgImportRow['status'],
): Promise<OrgImportRow | null> {
  const { diffPatch, ...columns } = patch;
  const where = onlyIfStatus
    ? and(eq(orgImports.id, id), eq(orgImports.status, onlyIfStatus))
    : eq(orgImports.id, id);
  const [row] = await tx
    .update(orgImports)
    .set({
      ...columns,
      ...(diffPatch ? { diff: sql`${orgImports.diff} || ${JSON.stringify(diffPatch)}::jsonb` } : {}),
    })
    .where(where)
    .returning();
  return row ?? null;
}

/** The list view: never the stored rows or the full diff, only counts and outcome. */
export async function listImports(db: Db, page: { limit: number; after: { at: Date; id: string } | null }) {
  const where: SQL[] = [];
  if (page.after)
    where.push(
      sql`(${orgImports.createdAt}, ${orgImports.id}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.id}::uuid)`,
    );
  const rows = await db
    .select({
      id: orgImports.id,
      fileName: orgImports.fileName,
      fileSha256: orgImports.fileSha256,
      format: orgImports.format,
      status: orgImports.status,
      createdBy: orgImports.createdBy,
      createdAt: orgImports.createdAt,
      appliedAt: orgImports.appliedAt,
      diff: sql<Record<string, unknown>>`jsonb_build_object(
        'counts', ${orgImports.diff} -> 'counts',
        'result', ${orgImports.diff} -> 'result',
        'failure', ${orgImports.diff} -> 'failure')`,
    })
    .from(orgImports)
    .where(and(...where))
    .orderBy(desc(orgImports.createdAt), desc(orgImports.id))
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

export async function namesOf(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: people.id, name: people.displayName })
    .from(people)
    .where(
      sql`${people.id} in (${sql.join(
        wanted.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findSource(db: Db, id: 'scim' | 'hr') {
  const [row] = await db.select().from(orgSources).where(eq(orgSources.id, id)).limit(1);
  return row ?? null;
}
