import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Audience } from '../../../contract/api/packages.ts';
import type { Db } from '../../db/client.ts';
import { audiencePackages, auditEvents, people, readinessSnapshots } from '../../db/schema.ts';

export type PackageRow = typeof audiencePackages.$inferSelect;

function sqlLength(column: 'markdown' | 'html' | 'pdf') {
  return column === 'pdf'
    ? sql<number>`octet_length(${audiencePackages.pdf})::int`
    : sql<number>`octet_length(${column === 'markdown' ? audiencePackages.markdown : audiencePackages.html})::int`;
}

/** What a summary needs: everything but the renderings, their sizes, the generator's name, the verdict. */
const summaryColumns = {
  id: audiencePackages.id,
  audience: audiencePackages.audience,
  title: audiencePackages.title,
  generatedAt: audiencePackages.generatedAt,
  generatedBy: audiencePackages.generatedBy,
  generatedByName: people.displayName,
  hashes: audiencePackages.hashes,
  snapshotId: audiencePackages.snapshotId,
  verdict: readinessSnapshots.verdict,
  markdownSize: sqlLength('markdown'),
  htmlSize: sqlLength('html'),
  pdfSize: sqlLength('pdf'),
};

export type SummaryRow = {
  id: string;
  audience: Audience;
  title: string;
  generatedAt: Date;
  generatedBy: string | null;
  generatedByName: string | null;
  hashes: PackageRow['hashes'];
  snapshotId: string | null;
  verdict: 'go' | 'go_with_known_issues' | 'no_go' | null;
  markdownSize: number;
  htmlSize: number;
  pdfSize: number;
};

function summaries(db: Db) {
  return db
    .select(summaryColumns)
    .from(audiencePackages)
    .leftJoin(people, eq(people.id, audiencePackages.generatedBy))
    .leftJoin(readinessSnapshots, eq(readinessSnapshots.id, audiencePackages.snapshotId));
}

export async function insertPackage(tx: Db, row: typeof audiencePackages.$inferInsert): Promise<string> {
  const [created] = await tx.insert(audiencePackages).values(row).returning({ id: audiencePackages.id });
  if (!created) throw new Error('audience package insert returned no row');
  return created.id;
}

export async function findSummary(db: Db, id: string): Promise<SummaryRow | null> {
  const [row] = await summaries(db).where(eq(audiencePackages.id, id));
  return (row as SummaryRow | undefined) ?? null;
}

export async function listSummaries(
  db: Db,
  options: { audience?: Audience | undefined; after: { at: Date; id: string } | null; limit: number },
): Promise<SummaryRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (options.audience) conditions.push(eq(audiencePackages.audience, options.audience));
  if (options.after)
    conditions.push(
      or(
        lt(audiencePackages.generatedAt, options.after.at),
        and(eq(audiencePackages.generatedAt, options.after.at), lt(audiencePackages.id, options.after.id)),
      ),
    );
  const rows = await summaries(db)
    .where(and(...conditions))
    .orderBy(desc(audiencePackages.generatedAt), desc(audiencePackages.id))
    .limit(options.limit);
  return rows as SummaryRow[];
}

export async function findPackage(db: Db, id: string): Promise<PackageRow | null> {
  const [row] = await db.select().from(audiencePackages).where(eq(audiencePackages.id, id));
  return row ?? null;
}

/** The package.generated event for a package (the first one: a package is generated once). */
export async function findGeneratedEvent(db: Db, id: string) {
  const [row] = await db
    .select({ seq: auditEvents.seq, details: auditEvents.details })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, 'package.generated'),
        eq(auditEvents.targetType, 'audience_package'),
        eq(auditEvents.targetId, id),
      ),
    )
    .orderBy(auditEvents.seq)
    .limit(1);
  return row ?? null;
}
