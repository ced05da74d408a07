import { and, asc, count, desc, eq, inArray, isNotNull, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  BUG_PRIORITIES,
  BUG_STATUSES,
  type BugPriority,
  type BugReport,
  type BugReportNote,
  type BugStatus,
} from '../../../contract/api/bug-reports.ts';
import type { Db } from '../../db/client.ts';
import { bugReportNotes, bugReports, people } from '../../db/schema.ts';

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
const assignee = alias(people, 'assignee');

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
  priority: bugReports.priority,
  assigneeId: bugReports.assigneeId,
  assigneeName: assignee.displayName,
  version: bugReports.version,
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
    .leftJoin(triager, eq(triager.id, bugReports.triagedBy))
    .leftJoin(assignee, eq(assignee.id, bugReports.assigneeId));
}

type Joined = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

export const screenshotUrl = (id: string) => `/api/v1/bug-reports/${id}/screenshot`;

const ref = (id: string | null, name: string | null) => (id && name ? { id, name } : null);

function toBugReport(row: Joined, notes: BugReportNote[]): BugReport {
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
    priority: row.priority,
    assignee: ref(row.assigneeId, row.assigneeName),
    version: row.version,
    triagedBy: ref(row.triagedById, row.triagedByName),
    triagedAt: row.triagedAt?.toISOString() ?? null,
    notes,
    reportedAt: row.reportedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The triage threads of these reports, oldest note first, in one query. */
export async function notesOf(db: Db, reportIds: string[]): Promise<Map<string, BugReportNote[]>> {
  const byReport = new Map<string, BugReportNote[]>(reportIds.map((id) => [id, []]));
  if (reportIds.length === 0) return byReport;
  const rows = await db
    .select({ note: bugReportNotes, authorName: people.displayName })
    .from(bugReportNotes)
    .innerJoin(people, eq(people.id, bugReportNotes.authorId))
    .where(inArray(bugReportNotes.bugReportId, reportIds))
    .orderBy(asc(bugReportNotes.createdAt), asc(bugReportNotes.id));
  for (const { note, authorName } of rows)
    byReport.get(note.bugReportId)?.push({
      id: note.id,
      author: { id: note.authorId, name: authorName },
      body: note.body,
      createdAt: note.createdAt.toISOString(),
    });
  return byReport;
}

export async function findBugReport(db: Db, id: string): Promise<BugReport | null> {
  const [row] = await baseQuery(db).where(eq(bugReports.id, id)).limit(1);
  if (!row) return null;
  return toBugReport(row, (await notesOf(db, [id])).get(id) ?? []);
}

export interface BugReportFilter {
  status?: BugStatus | undefined;
  priority?: BugPriority | 'none' | undefined;
  /** A person id, or 'none' for unassigned ('me' is resolved by the service). */
  assignee?: string | undefined;
}

/** One page, newest first (by arrival), keyset-paginated; one extra row tells whether another page exists. */
export async function listBugReports(
  db: Db,
  filter: BugReportFilter,
  page: { limit: number; after: { at: Date; id: string } | null },
) {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(bugReports.status, filter.status));
  if (filter.priority === 'none') where.push(isNull(bugReports.priority));
  else if (filter.priority) where.push(eq(bugReports.priority, filter.priority));
  if (filter.assignee === 'none') where.push(isNull(bugReports.assigneeId));
  else if (filter.assignee) where.push(eq(bugReports.assigneeId, filter.assignee));
  if (page.after) {
    where.push(
      sql`(${bugReports.createdAt}, ${bugReports.id}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.id}::uuid)`,
    );
  }
  const rows = await baseQuery(db)
    .where(and(...where))
    .orderBy(desc(bugReports.createdAt), desc(bugReports.id))
    .limit(page.limit + 1);
  const pageRows = rows.slice(0, page.limit);
  const notes = await notesOf(
    db,
    pageRows.map((r) => r.id),
  );
  return {
    items: pageRows.map((row) => toBugReport(row, notes.get(row.id) ?? [])),
    hasMore: rows.length > page.limit,
  };
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

/** How many reports have each priority ('none' = not prioritised), zeros included, whatever the filter. */
export async function countByPriority(db: Db) {
  const rows = await db
    .select({ priority: bugReports.priority, count: count() })
    .from(bugReports)
    .groupBy(bugReports.priority);
  return [...BUG_PRIORITIES, 'none' as const].map((priority) => ({
    priority,
    count: Number(rows.find((row) => (row.priority ?? 'none') === priority)?.count ?? 0),
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

/** The triage state before a change, with the row locked until the transaction ends (two admins: one after the other). */
export async function lockForUpdate(tx: Db, id: string) {
  const [row] = await tx
    .select({
      status: bugReports.status,
      priority: bugReports.priority,
      assigneeId: bugReports.assigneeId,
      version: bugReports.version,
    })
    .from(bugReports)
    .where(eq(bugReports.id, id))
    .for('update');
  return row ?? null;
}

export async function setTriage(
  tx: Db,
  id: string,
  changes: {
    status: BugStatus;
    priority: BugPriority | null;
    assigneeId: string | null;
    version: number;
    triagedBy: string;
    triagedAt: Date;
  },
) {
  await tx.update(bugReports).set(changes).where(eq(bugReports.id, id));
}

export async function exists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: bugReports.id }).from(bugReports).where(eq(bugReports.id, id)).limit(1);
  return row !== undefined;
}

export async function insertNote(
  tx: Db,
  note: { id: string; bugReportId: string; authorId: string; body: string; createdAt: Date },
) {
  await tx.insert(bugReportNotes).values(note);
}

/** People who could triage: not deactivated, signed in at least once (their role is then evaluated by the service). */
export async function assigneeCandidates(db: Db, limit: number) {
  return db
    .select()
    .from(people)
    .where(and(ne(people.status, 'deactivated'), isNotNull(people.lastSignInAt)))
    .orderBy(asc(people.displayName), asc(people.id))
    .limit(limit);
}

export async function findPerson(db: Db, id: string) {
  const [row] = await db.select().from(people).where(eq(people.id, id)).limit(1);
  return row ?? null;
}
