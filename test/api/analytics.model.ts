import type { Analytics, AnalyticsSeries } from '../../src/contract/api/analytics.ts';

/**
 * An independent model of GET /api/v1/analytics for the tests: the raw rows (read with plain selects) are
 * aggregated here in TypeScript — periods, distinct people, percentiles — never with the service's SQL.
 */

const DAY = 86_400_000;
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

export const utcDay = (at: Date | string) => new Date(at).toISOString().slice(0, 10);

export function periodKey(day: string, granularity: 'day' | 'week'): string {
  if (granularity === 'day') return day;
  const back = (new Date(ms(day)).getUTCDay() + 6) % 7;
  return iso(ms(day) - back * DAY);
}

export function expectedPeriods(from: string, to: string, granularity: 'day' | 'week'): string[] {
  const keys: string[] = [];
  for (let t = ms(from); t <= ms(to); t += DAY) {
    const key = periodKey(iso(t), granularity);
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

export interface Fact {
  day: string;
  key: string | null;
  person?: string | null;
}

/**
 * Per key: one value per period and the range total. `distinct`: distinct people; otherwise the number of facts.
 * `keys` = the keys that always appear (zeros included); other keys appear when they have facts.
 */
export function expectedSeries(
  facts: Fact[],
  periods: string[],
  granularity: 'day' | 'week',
  measure: 'distinct' | 'count',
  keys: readonly (string | null)[] = [],
): Map<string | null, { values: number[]; total: number }> {
  const per = new Map<string | null, Map<string, (string | null | undefined)[]>>();
  const all = new Map<string | null, (string | null | undefined)[]>();
  for (const key of keys) {
    per.set(key, new Map());
    all.set(key, []);
  }
  for (const fact of facts) {
    const period = periodKey(fact.day, granularity);
    if (!periods.includes(period)) continue;
    if (!per.has(fact.key)) {
      per.set(fact.key, new Map());
      all.set(fact.key, []);
    }
    const byPeriod = per.get(fact.key) as Map<string, (string | null | undefined)[]>;
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), fact.person]);
    all.get(fact.key)?.push(fact.person);
  }
  const size = (people: (string | null | undefined)[]) =>
    measure === 'count' ? people.length : new Set(people.filter((p) => p !== null && p !== undefined)).size;
  const out = new Map<string | null, { values: number[]; total: number }>();
  for (const [key, byPeriod] of per) {
    out.set(key, {
      values: periods.map((p) => size(byPeriod.get(p) ?? [])),
      total: size(all.get(key) ?? []),
    });
  }
  return out;
}

/** The API's series as the same map (labels are checked elsewhere). */
export function asMap(series: AnalyticsSeries[]) {
  return new Map(series.map((s) => [s.key, { values: s.values, total: s.total }]));
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const low = sorted[lo] as number;
  return low + ((sorted[hi] as number) - low) * (at - lo);
}

export interface TelemetryFact {
  day: string;
  kind: string;
  value: number;
  mode?: string | undefined;
  result?: string | undefined;
}

type Offline = Analytics['offline'];

export function expectedOffline(facts: TelemetryFact[], periods: string[], granularity: 'day' | 'week') {
  const ratio = (numerator: number, denominator: number) => ({
    numerator,
    denominator,
    value: denominator === 0 ? null : numerator / denominator,
  });
  const of = (selected: TelemetryFact[]) => {
    const saves = selected.filter(
      (f) => f.kind === 'tap_to_saved_ms' && ['online', 'offline'].includes(f.mode ?? ''),
    );
    const durations = selected.filter((f) => f.kind === 'offline_duration_ms').map((f) => f.value);
    const synced = selected.filter(
      (f) => f.kind === 'sync_outcome' && ['created', 'duplicate'].includes(f.result ?? ''),
    ).length;
    const failed = selected.filter((f) => f.kind === 'sync_outcome' && f.result === 'failed').length;
    return {
      share: ratio(saves.filter((f) => f.mode === 'offline').length, saves.length),
      reconnects: selected.filter((f) => f.kind === 'reconnect').length,
      duration: {
        count: durations.length,
        p50: percentileCont(durations, 0.5),
        p95: percentileCont(durations, 0.95),
      },
      recovery: ratio(synced, synced + failed),
    };
  };
  const inRange = facts.filter((f) => periods.includes(periodKey(f.day, granularity)));
  const each = periods.map((p) => of(inRange.filter((f) => periodKey(f.day, granularity) === p)));
  const total = of(inRange);
  return {
    offlineShare: { values: each.map((e) => e.share), total: total.share },
    reconnects: { values: each.map((e) => e.reconnects), total: total.reconnects },
    offlineDuration: { values: each.map((e) => e.duration), total: total.duration },
    recoveryRate: { values: each.map((e) => e.recovery), total: total.recovery },
  } satisfies Omit<Offline, 'reconnects'> & { reconnects: { values: number[]; total: number } };
}
