import { asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import { IMPACT_WEIGHTS } from '../../../contract/reporting.ts';
import type { Db } from '../../db/client.ts';
import { insights, people } from '../../db/schema.ts';

export interface LeaderboardCounts {
  id: string;
  name: string;
  team: string | null;
  insights: number;
  critical: number;
  high: number;
  featureRequests: number;
  bugReports: number;
  useCases: number;
  /** Competition rank by score over everyone matching (equal scores share a rank: 1, 2, 2, 4). */
  rank: number;
  /** Everyone with at least one matching insight (not only the rows returned). */
  total: number;
}

const countWhere = (condition: SQL) => sql<number>`count(*) filter (where ${condition})`;
const weight = (w: number) => sql`${String(w)}::numeric`;

/**
 * Per author, one aggregate: the counts behind the impact score, the score (IMPACT_WEIGHTS, exact numeric
 * arithmetic so equal scores compare equal), the rank and the number of contributors, best first; ties by
 * insights, then name. Only the first `limit` rows leave the database.
 */
export async function leaderboardRows(db: Db, where: SQL, limit: number): Promise<LeaderboardCounts[]> {
  const c = {
    insights: sql<number>`count(*)`,
    critical: countWhere(eq(insights.priority, 'critical')),
    high: countWhere(eq(insights.priority, 'high')),
    featureRequests: countWhere(eq(insights.type, 'feature_request')),
    bugReports: countWhere(eq(insights.type, 'bug_report')),
    useCases: countWhere(eq(insights.type, 'use_case')),
  };
  const w = IMPACT_WEIGHTS;
  const score = sql`(${c.insights} * ${weight(w.insight)} + ${c.critical} * ${weight(w.critical)}
    + ${c.high} * ${weight(w.high)} + ${c.featureRequests} * ${weight(w.featureRequest)}
    + ${c.bugReports} * ${weight(w.bugReport)} + ${c.useCases} * ${weight(w.useCase)})`;
  const rows = await db
    .select({
      id: people.id,
      name: people.displayName,
      team: people.team,
      ...c,
      rank: sql<number>`rank() over (order by ${score} desc)`,
      total: sql<number>`count(*) over ()`,
    })
    .from(insights)
    .innerJoin(people, eq(people.id, insights.authorId))
    .where(where)
    .groupBy(people.id, people.displayName, people.team)
    .orderBy(desc(score), desc(count()), asc(people.displayName), asc(people.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    team: r.team,
    insights: Number(r.insights),
    critical: Number(r.critical),
    high: Number(r.high),
    featureRequests: Number(r.featureRequests),
    bugReports: Number(r.bugReports),
    useCases: Number(r.useCases),
    rank: Number(r.rank),
    total: Number(r.total),
  }));
}
