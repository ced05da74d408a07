import type { Impact, ImpactItem } from '../../../contract/api/social.ts';
import { INSIGHT_TYPES } from '../../../contract/taxonomy.ts';
import { requireActor } from '../../plugins/types.ts';
import type { RequestContext } from '../identity/actor.ts';
import { listInsights } from '../insights/insights.repo.ts';
import { countBy } from '../reporting/dashboard.repo.ts';
import { complete } from '../reporting/dashboard.service.ts';
import * as impactRepo from './impact.repo.ts';
import { authorizeSocial, ownInsights } from './social.policy.ts';
import * as repo from './social.repo.ts';
import type { SocialDeps } from './social.service.ts';

const DAY_MS = 86_400_000;

/**
 * GET /api/v1/me/impact: the caller's own insights — their numbers, and the newest ones with what the team said.
 * Days are UTC days of the injected clock; "last 7 days" includes today (as on the dashboard). A fixed number
 * of queries whatever the limit: the page's reactions, notes and attachments are each read for all its ids at
 * once. Any role may ask (a viewer, who never captures, simply has zeros).
 */
export async function myImpact(deps: SocialDeps, ctx: RequestContext, limit: number): Promise<Impact> {
  const actor = requireActor(ctx);
  authorizeSocial(actor, 'read');
  const own = ownInsights(actor);
  const now = deps.now();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = {
    today: new Date(today),
    last7Days: new Date(today - 6 * DAY_MS),
    last30Days: new Date(today - 29 * DAY_MS),
  };

  // One read-only snapshot, so the numbers and the recent items agree with each other.
  const data = await deps.db.transaction(
    async (tx) => {
      const counts = await impactRepo.ownCounts(tx, own, since);
      const reactionsReceived = await impactRepo.reactionsReceived(tx, own, actor.personId);
      const notesReceived = await impactRepo.notesReceived(tx, own, actor.personId);
      const byType = await countBy(tx, own, since.last30Days, 'type');
      const { items } = await listInsights(tx, own, {}, { limit, after: null });
      const ids = items.map((insight) => insight.id);
      return {
        counts,
        reactionsReceived,
        notesReceived,
        byType,
        items,
        reactions: await repo.reactionsForInsights(tx, ids, actor.personId),
        notes: await repo.noteSummariesForInsights(tx, ids),
        attachments: await repo.attachmentCountsForInsights(tx, ids),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );

  const recent: ImpactItem[] = data.items.map((insight) => {
    const notes = data.notes.get(insight.id);
    return {
      insight,
      reactions: data.reactions.get(insight.id) ?? [],
      noteCount: notes?.count ?? 0,
      latestNote: notes?.latest ?? null,
      attachmentCount: data.attachments.get(insight.id) ?? 0,
    };
  });
  return {
    stats: {
      ...data.counts,
      reactionsReceived: data.reactionsReceived,
      notesReceived: data.notesReceived,
      byType: complete(INSIGHT_TYPES, data.byType),
    },
    recent,
    generatedAt: now.toISOString(),
  };
}
