import { and, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DigestRun } from '../../../contract/api/digest.ts';
import type { Db } from '../../db/client.ts';
import { digestRuns } from '../../db/schema.program.ts';
import { auditEvents, insights, people } from '../../db/schema.ts';
import { baseQuery, toInsight } from '../insights/insights.repo.ts';
import { excerptOf } from '../reporting/dashboard.repo.ts';

export type DigestRunRow = typeof digestRuns.$inferSelect;
type Trigger = DigestRunRow['trigger'];

/** The newest critical- or high-priority negative insights matching `where` (reportConditions: scope, not merged, days). */
export async function negativeHighlights(db: Db, where: SQL, limit: number) {
  const rows = await baseQuery(db)
    .where(and(where, eq(insights.sentiment, 'negative'), inArray(insights.priority, ['critical', 'high'])))
    .orderBy(
      sql`case when ${insights.priority} = 'critical' then 0 else 1 end`,
      desc(insights.capturedAt),
      desc(insights.id),
    )
    .limit(limit);
  return rows.map((row) => {
    const i = toInsight(row);
    return { id: i.id, title: i.title, excerpt: excerptOf(i.text), priority: i.priority };
  });
}

/**
 * Claims a week for the schedule: the insert succeeds for exactly one caller (unique index on period_start
 * where trigger = 'schedule'), so two replicas or two overlapping job runs never both post. Null = taken.
 */
export async function claimScheduledWeek(
  db: Db,
  row: { id: string; periodStart: string; periodEnd: string; now: Date },
): Promise<string | null> {
  const [claimed] = await db
    .insert(digestRuns)
    .values({ ...row, trigger: 'schedule', status: 'sending', createdAt: row.now })
    .onConflictDoNothing()
    .returning({ id: digestRuns.id });
  return claimed?.id ?? null;
}

export async function findScheduledWeek(db: Db, periodStart: string): Promise<DigestRunRow | null> {
  const [row] = await db
    .select()
    .from(digestRuns)
    .where(and(eq(digestRuns.trigger, 'schedule'), eq(digestRuns.periodStart, periodStart)))
    .limit(1);
  return row ?? null;
}

/** Takes a failed scheduled run back for another attempt; false when someone else already did. */
export async function reclaimFailed(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .update(digestRuns)
    .set({ status: 'sending', httpStatus: null, error: null, finishedAt: null })
    .where(and(eq(digestRuns.id, id), eq(digestRuns.status, 'failed')))
    .returning({ id: digestRuns.id });
  return rows.length > 0;
}

/**
 * How many attempts a run has failed: its digest.failed audit events (the audit log is append-only, so the count
 * survives restarts; digest_runs keeps only the latest outcome).
 */
export async function failedAttempts(db: Db, runId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'digest.failed'), eq(auditEvents.targetId, runId)));
  return Number(row?.n ?? 0);
}

export async function insertManualRun(
  db: Db,
  row: { id: string; periodStart: string; periodEnd: string; actorId: string; now: Date },
) {
  await db.insert(digestRuns).values({
    id: row.id,
    trigger: 'manual',
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    actorId: row.actorId,
    status: 'sending',
    createdAt: row.now,
  });
}

export async function finishRun(
  tx: Db,
  id: string,
  outcome: {
    status: 'sent' | 'failed';
    httpStatus: number | null;
    error: string | null;
    payloadSha256: string;
    finishedAt: Date;
  },
) {
  await tx.update(digestRuns).set(outcome).where(eq(digestRuns.id, id));
}

const runsWithAuthor = (db: Db) =>
  db
    .select({ run: digestRuns, byName: people.displayName })
    .from(digestRuns)
    .leftJoin(people, eq(people.id, digestRuns.actorId));

export async function findRun(db: Db, id: string): Promise<DigestRun | null> {
  const rows = await runsWithAuthor(db).where(eq(digestRuns.id, id)).limit(1);
  return toRuns(rows)[0] ?? null;
}

export async function recentRuns(db: Db, limit: number): Promise<DigestRun[]> {
  const rows = await runsWithAuthor(db).orderBy(desc(digestRuns.createdAt), desc(digestRuns.id)).limit(limit);
  return toRuns(rows);
}

function toRuns(rows: { run: DigestRunRow; byName: string | null }[]): DigestRun[] {
  return rows.map(({ run, byName }) => ({
    id: run.id,
    trigger: run.trigger as Trigger,
    periodStart: run.periodStart,
    periodEnd: run.periodEnd,
    status: run.status,
    httpStatus: run.httpStatus,
    error: run.error,
    by: run.actorId && byName ? { id: run.actorId, name: byName } : null,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  }));
}
