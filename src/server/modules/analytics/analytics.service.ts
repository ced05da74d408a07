import {
  type Analytics,
  type AnalyticsPeriod,
  type AnalyticsQuery,
  type AnalyticsRatio,
  type AnalyticsSeries,
  CAPTURE_EVENTS_SHOWN,
  type DurationStat,
  EXPORT_SURFACE_LABEL,
  EXPORT_SURFACES,
  USAGE_SURFACES,
  VIEW_SURFACE_LABEL,
  VIEW_SURFACES,
  type ViewRecord,
} from '../../../contract/api/analytics.ts';
import { ROLE_LABEL, ROLES } from '../../../contract/roles.ts';
import type { Db } from '../../db/client.ts';
import { requireActor } from '../../plugins/types.ts';
import { loadOrgAccess } from '../access-reviews/access-reviews.population.ts';
import type { RequestContext } from '../identity/actor.ts';
import { periodsOf, resolveRange, weekEnding } from './analytics.periods.ts';
import { authorizeAnalytics } from './analytics.policy.ts';
import * as repo from './analytics.repo.ts';
import { insertUsageEvent } from './usage.repo.ts';

export interface AnalyticsDeps {
  db: Db;
  now: () => Date;
}

const SURFACE_LABEL = { capture: 'Capture app', admin: 'Admin app', api: 'API (tokens)' } as const;
const NONE = '(none)';

function ratio(numerator: number, denominator: number): AnalyticsRatio {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/**
 * Grouped counts → series aligned with `periods`, zeros where a period has no row. `keys` fixes which series
 * appear and in what order (fixed lists: roles, surfaces); without it every key with data appears, the largest
 * total first. `measure` picks rows (n) or distinct people.
 */
function toSeries(
  rows: repo.GroupedCount[],
  periods: AnalyticsPeriod[],
  options: {
    measure: 'n' | 'people';
    keys?: readonly (string | null)[];
    label?: (key: string | null) => string;
  },
): AnalyticsSeries[] {
  const index = new Map(periods.map((p, i) => [p.key, i]));
  const series = new Map<string | null, AnalyticsSeries>();
  const label = options.label ?? ((key: string | null) => key ?? NONE);
  const seriesOf = (key: string | null) => {
    let s = series.get(key);
    if (!s) {
      s = { key, label: label(key), values: periods.map(() => 0), total: 0 };
      series.set(key, s);
    }
    return s;
  };
  for (const key of options.keys ?? []) seriesOf(key);
  for (const row of rows) {
    if (options.keys && !options.keys.includes(row.key)) continue;
    const s = seriesOf(row.key);
    const value = options.measure === 'n' ? row.n : row.people;
    if (row.period === null) s.total = value;
    else {
      const at = index.get(row.period);
      if (at !== undefined) s.values[at] = value;
    }
  }
  const out = [...series.values()];
  if (options.keys) return out;
  return out.sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
}

/** One series (the rows of a query without a key). */
function single(
  rows: repo.GroupedCount[],
  periods: AnalyticsPeriod[],
  measure: 'n' | 'people',
  label: string,
) {
  return toSeries(rows, periods, { measure, keys: [null], label: () => label })[0] as AnalyticsSeries;
}

/** The events with the most captures, then the rest summed as "Other events"; captures without an event last. */
function topEvents(series: AnalyticsSeries[]): AnalyticsSeries[] {
  const withEvent = series.filter((s) => s.key !== null);
  const shown = withEvent.slice(0, CAPTURE_EVENTS_SHOWN);
  const rest = withEvent.slice(CAPTURE_EVENTS_SHOWN);
  const first = rest[0];
  if (first)
    shown.push({
      key: 'other',
      label: `Other events (${rest.length})`,
      values: first.values.map((_, i) => rest.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)),
      total: rest.reduce((sum, s) => sum + s.total, 0),
    });
  const none = series.find((s) => s.key === null);
  if (none) shown.push(none);
  return shown;
}

function offlineSection(rows: repo.OfflineRow[], periods: AnalyticsPeriod[]): Analytics['offline'] {
  const byPeriod = new Map(rows.filter((r) => r.period !== null).map((r) => [r.period, r]));
  const total = rows.find((r) => r.period === null);
  const at = periods.map((p) => byPeriod.get(p.key));
  const share = (r: repo.OfflineRow | undefined) => ratio(r?.offlineSaves ?? 0, r?.saves ?? 0);
  const recovery = (r: repo.OfflineRow | undefined) =>
    ratio(r?.synced ?? 0, (r?.synced ?? 0) + (r?.failed ?? 0));
  const duration = (r: repo.OfflineRow | undefined): DurationStat => ({
    count: r?.durations ?? 0,
    p50: r?.p50 ?? null,
    p95: r?.p95 ?? null,
  });
  return {
    offlineShare: { values: at.map(share), total: share(total) },
    reconnects: {
      key: null,
      label: 'Reconnects',
      values: at.map((r) => r?.reconnects ?? 0),
      total: total?.reconnects ?? 0,
    },
    offlineDuration: { values: at.map(duration), total: duration(total) },
    recoveryRate: { values: at.map(recovery), total: recovery(total) },
  };
}

/** Advocates now (effective role, deactivated people left out) and how many captured in the range. */
async function adoption(deps: AnalyticsDeps, range: repo.Range): Promise<AnalyticsRatio> {
  const org = await loadOrgAccess(deps.db, { all: true }, deps.now());
  const advocates = [...org.byId.values()]
    .filter((e) => e.access?.role === 'advocate')
    .map((e) => e.person.id);
  return ratio(await repo.capturingAmong(deps.db, range, advocates), advocates.length);
}

/**
 * GET /api/v1/analytics: who used the product, what was captured, how the capture app did offline and how
 * reports were used, per period and over the range. Definitions: docs/analytics.md ("Product analytics").
 */
export async function productAnalytics(
  deps: AnalyticsDeps,
  ctx: RequestContext,
  query: AnalyticsQuery,
): Promise<Analytics> {
  authorizeAnalytics(requireActor(ctx), 'read');
  const today = deps.now().toISOString().slice(0, 10);
  const range = resolveRange(query, today);
  const { granularity, slice } = query;
  const periods = periodsOf(range, granularity);
  const db = deps.db;
  const week = weekEnding(range.to);
  const [
    total,
    byRole,
    bySlice,
    bySurface,
    weekly,
    captured,
    byEvent,
    byTeam,
    offline,
    views,
    exported,
    byFormat,
  ] = await Promise.all([
    repo.activePeople(db, granularity, range, null),
    repo.activePeople(db, granularity, range, 'role'),
    repo.activePeople(db, granularity, range, slice),
    repo.activePeopleBySurface(db, granularity, range),
    repo.distinctActive(db, week),
    repo.captures(db, granularity, range, 'total'),
    repo.captures(db, granularity, range, 'event'),
    repo.captures(db, granularity, range, 'team'),
    repo.offline(db, granularity, range),
    repo.engagement(db, granularity, range, 'view'),
    repo.engagement(db, granularity, range, 'export'),
    repo.engagement(db, granularity, range, 'export', 'format'),
  ]);
  const names = await repo.eventNames(db, [
    ...new Set(byEvent.flatMap((r) => (r.key === null ? [] : [r.key]))),
  ]);
  const eventSeries = toSeries(byEvent, periods, {
    measure: 'n',
    label: (key) => (key === null ? 'No event' : (names.get(key) ?? key)),
  });
  const roleLabel = (key: string | null) => ROLE_LABEL[key as keyof typeof ROLE_LABEL] ?? key ?? NONE;
  const viewLabel = (key: string | null) => VIEW_SURFACE_LABEL[key as keyof typeof VIEW_SURFACE_LABEL] ?? '';
  return {
    ...range,
    granularity,
    slice,
    periods,
    activeUsers: {
      total: single(total, periods, 'people', 'Active users'),
      byRole: toSeries(byRole, periods, { measure: 'people', keys: ROLES, label: roleLabel }),
      bySlice:
        slice === 'role'
          ? toSeries(bySlice, periods, { measure: 'people', keys: ROLES, label: roleLabel })
          : toSeries(bySlice, periods, { measure: 'people' }),
      bySurface: toSeries(bySurface, periods, {
        measure: 'people',
        keys: USAGE_SURFACES,
        label: (key) => SURFACE_LABEL[key as keyof typeof SURFACE_LABEL] ?? '',
      }),
      weekly: { count: weekly, ...week },
    },
    captures: {
      total: single(captured, periods, 'n', 'Captures'),
      byEvent: topEvents(eventSeries),
      byTeam: toSeries(byTeam, periods, { measure: 'n' }),
    },
    offline: offlineSection(offline, periods),
    engagement: {
      views: toSeries(views, periods, { measure: 'n', keys: VIEW_SURFACES, label: viewLabel }),
      viewers: toSeries(views, periods, { measure: 'people', keys: VIEW_SURFACES, label: viewLabel }),
      exports: toSeries(exported, periods, {
        measure: 'n',
        keys: EXPORT_SURFACES,
        label: (key) => EXPORT_SURFACE_LABEL[key as keyof typeof EXPORT_SURFACE_LABEL] ?? '',
      }),
      exportsByFormat: toSeries(byFormat, periods, {
        measure: 'n',
        keys: ['csv', 'pdf'],
        label: (key) => (key ?? '').toUpperCase(),
      }),
    },
    adoption: await adoption(deps, range),
  };
}

/**
 * POST /api/v1/analytics/views: a reporting page says it was viewed, once per visit. The page's view id makes a
 * resent beacon count once; the person is the signed-in actor.
 */
export async function recordView(
  deps: AnalyticsDeps,
  ctx: RequestContext,
  input: ViewRecord,
): Promise<{ recorded: boolean }> {
  const actor = requireActor(ctx);
  authorizeAnalytics(actor, 'record_view');
  const recorded = await insertUsageEvent(deps.db, {
    id: input.viewId,
    kind: 'view',
    surface: input.surface,
    personId: actor.personId,
    role: actor.role,
    at: deps.now(),
  });
  return { recorded };
}
