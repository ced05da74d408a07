import { and, count, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { insightNotes, insightReactions, insights } from '../../db/schema.ts';

/** Counts of the insights matching `own` (the caller's), captured since each boundary; one query. */
export async function ownCounts(db: Db, own: SQL, since: { today: Date; last7Days: Date; last30Days: Date }) {
  const capturedSince = (at: Date) =>
    sql`count(*) filter (where ${insights.capturedAt} >= ${at.toISOString()}::timestamptz)`.mapWith(Number);
  const [row] = await db
    .select({
      total: count(),
      today: capturedSince(since.today),
      last7Days: capturedSince(since.last7Days),
      last30Days: capturedSince(since.last30Days),
      followUps: sql`count(*) filter (where ${insights.followUp})`.mapWith(Number),
    })
    .from(insights)
    .where(own);
  return {
    total: Number(row?.total ?? 0),
    today: row?.today ?? 0,
    last7Days: row?.last7Days ?? 0,
    last30Days: row?.last30Days ?? 0,
    followUps: row?.followUps ?? 0,
  };
}

/** Reactions others gave to the matching insights (reacting to one's own insight is not "received"). */
export async function reactionsReceived(db: Db, own: SQL, personId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(insightReactions)
    .innerJoin(insights, eq(insights.id, insightReactions.insightId))
    .where(and(own, ne(insightReactions.personId, personId)));
  return Number(row?.n ?? 0);
}

/** Notes others wrote on the matching insights. */
export async function notesReceived(db: Db, own: SQL, personId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(insightNotes)
    .innerJoin(insights, eq(insights.id, insightNotes.insightId))
    .where(and(own, ne(insightNotes.authorId, personId)));
  return Number(row?.n ?? 0);
}
