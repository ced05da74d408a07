import type { Actor } from '../identity/actor.ts';
import { authorizeInsight } from '../insights/insights.policy.ts';

/**
 * Who reads reports (dashboard, leaderboard, executive report): whoever reads insights — viewers, advocates,
 * managers and admins — each over their own read scope (`insightReadScope`, applied inside every report query
 * through reportConditions). Reports never write, so no role is refused here beyond what insight reading
 * refuses; an actor with a narrower scope simply gets smaller numbers.
 */
export function authorizeReporting(actor: Actor): void {
  authorizeInsight(actor, 'read');
}
