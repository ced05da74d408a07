import {
  type Dashboard,
  METRIC_KEYS,
  type MetricCard,
  type ReportQuery,
  type TrendPoint,
} from '../../../contract/api/reporting.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { changeRatio, type ResolvedPeriod, TREND_DAYS } from '../../../contract/reporting.ts';
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
import type { Actor, RequestContext } from '../identity/actor.ts';
import { personNames } from '../identity/identity.repo.ts';
import {
  type ResolvedReportQuery,
  reportConditions,
  resolveReportQuery,
  utcDay,
} from '../insights/insights.filter.ts';
import * as repo from './dashboard.repo.ts';
import { authorizeReporting } from './reporting.policy.ts';

const DAY_MS = 86_400_000;

/** Events listed in the coverage table (most insights first); the top-events list is its first LIMITS.topN. */
export const COVERAGE_EVENTS = 50;

export interface ReportingDeps {
  db: Db;
  now: () => Date;
  /** An LLM summary provider is configured (the exports/summary module sets it); reports only say so. */
  summaryAvailable?: boolean;
}

/**
 * Every taxonomy entry appears, with 0 when nothing matched (a report never silently drops a category);
 * stored ids the taxonomy no longer lists still appear, under their id, so no count is lost.
 */
export function complete(list: readonly TaxonomyEntry[], counts: repo.KeyCount[]) {
  const byKey = new Map(counts.map((c) => [c.key, c.count]));
  const rows = list.map((entry) => ({ key: entry.id, label: entry.label, count: byKey.get(entry.id) ?? 0 }));
  const unknown = counts.filter((c) => !list.some((entry) => entry.id === c.key));
  unknown.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const c of unknown) rows.push({ key: c.key, label: c.key, count: c.count });
  return rows;
}

export const METRIC_LABELS: Record<(typeof METRIC_KEYS)[number], string> = {
  insights: 'Insights',
  critical: 'Critical',
  negative: 'Negative sentiment',
  feature_requests: 'Feature requests',
  contributors: 'Contributors',
  events: 'Events',
  follow_ups_open: 'Open follow-ups',
};

export function metricCards(current: repo.MetricCounts, previous: repo.MetricCounts): MetricCard[] {
  return METRIC_KEYS.map((key) => ({
    key,
    label: METRIC_LABELS[key],
    value: current[key],
    previous: previous[key],
    change: changeRatio(current[key], previous[key]),
  }));
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** TREND_DAYS points ending on `to`, every day present (0 when nothing was captured). */
export function fillTrend(to: string, daily: repo.DailyCount[]): TrendPoint[] {
  const byDay = new Map(daily.map((d) => [d.date, d]));
  return Array.from({ length: TREND_DAYS }, (_, i) => {
    const date = addDays(to, i - (TREND_DAYS - 1));
    const d = byDay.get(date);
    return {
      date,
      total: d?.total ?? 0,
      positive: d?.positive ?? 0,
      neutral: d?.neutral ?? 0,
      negative: d?.negative ?? 0,
    };
  });
}

/** The actor's scope in words, naming the managers of reporting trees (as on the profile page). */
export async function scopeLabelOf(db: Db, actor: Actor): Promise<string> {
  const trees = actor.scope.kind === 'limited' ? actor.scope.trees : [];
  const names = await personNames(db, trees);
  return describeScope(actor.scope, (id) => (id === actor.personId ? 'you' : names.get(id)));
}

export type DashboardData = Omit<Dashboard, 'taxonomyVersion' | 'generatedAt'>;

/**
 * Every number of the dashboard (and of the executive report) for one actor and one resolved query. Call it
 * inside `readSnapshot`, so the cards, distributions and lists agree with each other.
 */
export async function dashboardData(
  db: Db,
  actor: Actor,
  resolved: ResolvedReportQuery,
): Promise<DashboardData> {
  const { filter, period } = resolved;
  const current = reportConditions(actor, filter, period);
  const previous = reportConditions(actor, filter, { from: period.previousFrom, to: period.previousTo });
  const trend = reportConditions(actor, filter, { from: addDays(period.to, 1 - TREND_DAYS), to: period.to });
  const coverage = await repo.eventCoverage(db, current, COVERAGE_EVENTS);
  const summary = await repo.periodSummary(db, current);
  return {
    scopeLabel: await scopeLabelOf(db, actor),
    period: periodInfo(period),
    cards: metricCards(summary.metrics, await repo.metricCounts(db, previous)),
    trend: fillTrend(period.to, await repo.dailyCounts(db, trend)),
    distributions: {
      byType: complete(INSIGHT_TYPES, summary.byType),
      bySentiment: complete(SENTIMENTS, summary.bySentiment),
      byPriority: complete(PRIORITIES, summary.byPriority),
      byProductArea: complete(PRODUCT_AREAS, summary.byProductArea),
    },
    topEvents: coverage.slice(0, LIMITS.topN).map((e) => ({ id: e.id, name: e.name, count: e.insights })),
    topContributors: await repo.topContributors(db, current, LIMITS.topN),
    critical: await repo.newestCritical(db, current, LIMITS.topN),
    coverage: coverage.map((e) => ({
      event: { id: e.id, name: e.name, startsOn: e.startsOn, endsOn: e.endsOn },
      insights: e.insights,
      contributors: e.contributors,
      sessions: e.sessions,
      sessionsCovered: e.sessionsCovered,
    })),
  };
}

export function periodInfo(p: ResolvedPeriod): Dashboard['period'] {
  return {
    period: p.period,
    from: p.from,
    to: p.to,
    days: p.days,
    previousFrom: p.previousFrom,
    previousTo: p.previousTo,
    label: p.label,
  };
}

/** One read-only, repeatable-read snapshot: every number read inside it comes from the same moment. */
export function readSnapshot<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => work(tx), {
    isolationLevel: 'repeatable read',
    accessMode: 'read only',
  });
}

/** Checks the reader and resolves the query against the server's UTC day (400 naming the field otherwise). */
export function prepareReport(deps: ReportingDeps, ctx: RequestContext, query: ReportQuery) {
  const actor = requireActor(ctx);
  authorizeReporting(actor);
  const now = deps.now();
  return { actor, now, resolved: resolveReportQuery(query, utcDay(now)) };
}

/** GET /api/v1/dashboard. */
export async function dashboard(
  deps: ReportingDeps,
  ctx: RequestContext,
  query: ReportQuery,
): Promise<Dashboard> {
  const { actor, now, resolved } = prepareReport(deps, ctx, query);
  const data = await readSnapshot(deps.db, (tx) => dashboardData(tx, actor, resolved));
  return { ...data, taxonomyVersion: TAXONOMY_VERSION, generatedAt: now.toISOString() };
}
