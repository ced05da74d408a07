import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { BUG_STATUSES, type BugReport, type BugStatus } from '../../../contract/api/bug-reports.ts';
import type { Db } from '../../db/client.ts';
import { bugReports, people } from '../../db/schema.ts';

export type NewBugReportRow = typeof bugReports.$inferInsert;

/** Insert unless the id exists. Returns true when this call created the row. */
export async function insertBugReportIfAbsent(tx: Db, row: NewBugReportRow): Promise<boolean> {
  const created = await tx
    .insert(bugReports)
    .values(row)
    .onConflictDoNothing({ target: bugReports.id })
    .returning({ id: bugReports.id });
  return created.length > 0;
}

/** Who reported this id and what became of it: tells a resend (same reporter) from a collision. */
export async function findReceipt(db: Db, id: string) {
  const [row] = await db
    .select({
      id: bugReports.id,
      reporterId: bugReports.reporterId,
      status: bugReports.status,
      createdAt: bugReports.createdAt,
    })
    .from(bugReports)
    .where(eq(bugReports.id, id))
    .limit(1);
  return row ?? null;
}

const triager = alias(people, 'triager');

/** Every column but the screenshot bytes (lists never load images; the screenshot route does). */
const reportColumns = {
  id: bugReports.id,
  reporterId: bugReports.reporterId,
  reporterName: people.displayName,
  description: bugReports.description,
  screen: bugReports.screen,
  appVersion: bugReports.appVersion,
  device: bugReports.device,
  hasScreenshot: sql<boolean>`${bugReports.screenshot} is not null`,
  status: bugReports.status,
  triageNote: bugReports.triageNote,
  triagedById: bugReports.triagedBy,
  triagedByName: triager.displayName,
  triagedAt: bugReports.triagedAt,
  reportedAt: bugReports.reportedAt,
  createdAt: bugReports.createdAt,
};

function baseQuery(db: Db) {
  return db
    .select(reportColumns)
    .from(bugReports)
    .innerJoin(people, eq(people.id, bugReports.reporterId))
    .leftJoin(triager, eq(triager.id, bugReports.triagedBy));
}

type Joined = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

export const screenshotUrl = (id: string) => `/api/v1/bug-reports/${id}/screenshot`;

function toBugReport(row: Joined): BugReport {
  return {
    id: row.id,
    reporter: { id: row.reporterId, name: row.reporterName },
    description: row.description,
    screen: row.screen,
    appVersion: row.appVersion,
    device: row.device,
    hasScreenshot: Boolean(row.hasScreenshot),
    screenshotUrl: row.hasScreenshot ? screenshotUrl(row.id) : null,
    status: row.status,
    triageNote: row.triageNote,
    triagedBy: row.triagedById && row.triagedByName ? { id: row.triagedById, name: row.triagedByName } : null,
    triagedAt: row.triagedAt?.toISOString() ?? null,
    reportedAt: row.reportedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function findBugReport(db: Db, id: string): Promise<BugReport | null> {
  const [row] = await baseQuery(db).where(eq(bugReports.id, id)).limit(1);
  return row ? toBugReport(row) : null;
}

/** One page, newest first (by arrival), keyset-paginated; one extra row tells whether another page exists. */
export async function listBugReports(
  db: Db,
  filter: { status?: BugStatus | undefined },
  page: { limit: number; after: { at: Date; id: string } | null },
) {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(bugReports.status, filter.status));
  if (page.after) {
    where.push(
      sql`(${bugReports.createdAt}, ${bugReports.id}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.id}::uuid)`,
    );
  }
  const rows = await baseQuery(db)
    .where(and(...where))
    .orderBy(desc(bugReports.createdAt), desc(bugReports.id))
    .limit(page.limit + 1);
  return { items: rows.slice(0, page.limit).map(toBugReport), hasMore: rows.length > page.limit };
}

/** How many reports have each status (every status listed, zeros included), whatever the list's filter. */
export async function countByStatus(db: Db) {
  const rows = await db
    .select({ status: bugReports.status, count: count() })
    .from(bugReports)
    .groupBy(bugReports.status);
  return BUG_STATUSES.map((status) => ({
    status,
    count: Number(rows.find((row) => row.status === status)?.count ?? 0),
  }));
}

export async function findScreenshot(db: Db, id: string) {
  const [row] = await db
    .select({ bytes: bugReports.screenshot, contentType: bugReports.screenshotType })
    .from(bugReports)
    .where(eq(bugReports.id, id))
    .limit(1);
  if (!row?.bytes || !row.contentType) return null;
  return { bytes: row.bytes, contentType: row.contentType };
}

/** The status before a triage, with the row locked until the transaction ends (two admins: one after the other). */
export async function lockStatus(tx: Db, id: string): Promise<BugStatus | null> {
  const [row] = await tx
    .select({ status: bugReports.status })
    .from(bugReports)
    .where(eq(bugReports.id, id))
    .for('update');
  return row?.status ?? null;
}

export async function setTriage(
  tx: Db,
  id: string,
  changes: { status: BugStatus; triageNote?: string | null; triagedBy: string; triagedAt: Date },
) {
  await tx.update(bugReports).set(changes).where(eq(bugReports.id, id));
}
