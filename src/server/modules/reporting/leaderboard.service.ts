import type { z } from 'zod';
import type { Leaderboard, LeaderboardQuery } from '../../../contract/api/reporting.ts';
import { IMPACT_FORMULA, IMPACT_WEIGHTS, impactScore } from '../../../contract/reporting.ts';
import type { RequestContext } from '../identity/actor.ts';
import { reportConditions } from '../insights/insights.filter.ts';
import {
  periodInfo,
  prepareReport,
  type ReportingDeps,
  readSnapshot,
  scopeLabelOf,
} from './dashboard.service.ts';
import { leaderboardRows } from './leaderboard.repo.ts';

/**
 * GET /api/v1/leaderboard: every author in the reader's scope with insights matching the filter in the period,
 * ranked by the documented impact score (IMPACT_FORMULA) — never by the raw insight count. The score is the
 * formula applied to the row's counts (impactScore), the same arithmetic the database ranked by.
 */
export async function leaderboard(
  deps: ReportingDeps,
  ctx: RequestContext,
  input: z.output<typeof LeaderboardQuery>,
): Promise<Leaderboard> {
  const { limit, ...query } = input;
  const { actor, now, resolved } = prepareReport(deps, ctx, query);
  const where = reportConditions(actor, resolved.filter, resolved.period);
  const { rows, scopeLabel } = await readSnapshot(deps.db, async (tx) => ({
    rows: await leaderboardRows(tx, where, limit),
    scopeLabel: await scopeLabelOf(tx, actor),
  }));
  return {
    scopeLabel,
    period: periodInfo(resolved.period),
    formula: IMPACT_FORMULA,
    weights: { ...IMPACT_WEIGHTS },
    rows: rows.map((r) => ({
      rank: r.rank,
      person: { id: r.id, name: r.name, team: r.team },
      score: impactScore(r),
      insights: r.insights,
      critical: r.critical,
      high: r.high,
      featureRequests: r.featureRequests,
      bugReports: r.bugReports,
      useCases: r.useCases,
    })),
    totalContributors: rows[0]?.total ?? 0,
    generatedAt: now.toISOString(),
  };
}
