import type { DashboardSummary } from '../../../contract/api/insights.ts';
import { describeScope } from '../../../contract/roles.ts';
import {
  INSIGHT_TYPES,
  PRIORITIES,
  PRODUCT_AREAS,
  SENTIMENTS,
  TAXONOMY_VERSION,
  type TaxonomyEntry,
} from '../../../contract/taxonomy.ts';
import type { Db } from '../../db/client.ts';
import { requireActor } from '../../plugins/types.ts';
import type { RequestContext } from '../identity/actor.ts';
import { authorizeInsight, insightReadScope } from '../insights/insights.policy.ts';
import * as repo from './dashboard.repo.ts';

const DAY_MS = 86_400_000;

/**
 * Every taxonomy entry appears, with 0 when nothing matched (a report never silently drops a category);
 * stored ids the taxonomy no longer lists still appear, under their id, so no count is lost.
 */
export function complete(list: readonly TaxonomyEntry[], counts: repo.KeyCount[]) {
  const byKey = new Map(counts.map((c) => [c.key, c.count]));
  const rows = list.map((entry) => ({ key: entry.id, label: entry.label, count: byKey.get(entry.id) ?? 0 }));
  for (const c of counts) {
    if (!list.some((entry) => entry.id === c.key)) rows.push({ key: c.key, label: c.key, count: c.count });
  }
  return rows;
}

export async function dashboardSummary(
  deps: { db: Db; now: () => Date },
  ctx: RequestContext,
  days: number,
): Promise<DashboardSummary> {
  const actor = requireActor(ctx);
  authorizeInsight(actor, 'read');
  const scope = insightReadScope(actor);
  const now = deps.now();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (days - 1) * DAY_MS);

  // One read-only snapshot, so the total, the distributions and the trend agree with each other.
  const data = await deps.db.transaction(
    async (tx) => ({
      total: await repo.countInScope(tx, scope),
      inPeriod: await repo.countInScope(tx, scope, since),
      byType: await repo.countBy(tx, scope, since, 'type'),
      bySentiment: await repo.countBy(tx, scope, since, 'sentiment'),
      byPriority: await repo.countBy(tx, scope, since, 'priority'),
      byProductArea: await repo.countByProductArea(tx, scope, since),
      daily: await repo.dailyCounts(tx, scope, since),
    }),
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );

  const perDay = new Map(data.daily.map((d) => [d.key, d.count]));
  const trend = Array.from({ length: days }, (_, i) => {
    const date = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    return { date, count: perDay.get(date) ?? 0 };
  });

  return {
    scopeLabel: describeScope(actor.scope),
    days,
    total: data.total,
    inPeriod: data.inPeriod,
    byType: complete(INSIGHT_TYPES, data.byType),
    bySentiment: complete(SENTIMENTS, data.bySentiment),
    byPriority: complete(PRIORITIES, data.byPriority),
    byProductArea: complete(PRODUCT_AREAS, data.byProductArea),
    trend,
    taxonomyVersion: TAXONOMY_VERSION,
    generatedAt: now.toISOString(),
  };
}
