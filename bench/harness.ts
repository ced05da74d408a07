/**
 * The benchmark harness: each scenario measures our code path and a baseline doing the same essential work in
 * the same run (same machine, same database, same moment), so the ratio holds on a noisy shared machine where
 * absolute timings drift. Some targets are absolute budgets (bytes of JavaScript, a latency a person feels);
 * those report the absolute number against the budget and still print the baseline for context.
 */

export type Target =
  | { kind: 'ratio_max'; value: number; note?: string }
  | { kind: 'absolute_max'; value: number; unit: string; note?: string };

export interface Measurement {
  /** Our figure, in `unit`. */
  ours: number;
  /** The baseline's figure, in `unit`. */
  baseline: number;
  unit: string;
  /** What the two numbers are, for the printed line. */
  details: string;
}

export interface BenchContext {
  smoke: boolean;
  /** 'postgres' when DATABASE_URL is set, else 'pglite'. */
  database: 'postgres' | 'pglite';
  log: (line: string) => void;
}

export interface Scenario {
  name: string;
  description: string;
  target: Target;
  run(context: BenchContext): Promise<Measurement>;
}

export interface ScenarioResult {
  name: string;
  ours: number;
  baseline: number;
  ratio: number;
  unit: string;
  target: Target;
  met: boolean;
  details: string;
  database: BenchContext['database'];
  smoke: boolean;
  measuredAt: string;
}

export function judge(name: string, target: Target, m: Measurement, context: BenchContext): ScenarioResult {
  const ratio = m.baseline > 0 ? m.ours / m.baseline : Number.POSITIVE_INFINITY;
  const met = target.kind === 'ratio_max' ? ratio <= target.value : m.ours <= target.value;
  return {
    name,
    ours: round(m.ours),
    baseline: round(m.baseline),
    ratio: round(ratio),
    unit: m.unit,
    target,
    met,
    details: m.details,
    database: context.database,
    smoke: context.smoke,
    measuredAt: new Date().toISOString(),
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export function describeTarget(target: Target): string {
  return target.kind === 'ratio_max'
    ? `ratio ≤ ${target.value}`
    : `≤ ${target.value} ${target.unit}${target.note ? ` (${target.note})` : ''}`;
}

export function formatLine(result: ScenarioResult): string {
  const verdict = result.met ? 'met' : 'MISSED';
  return (
    `${result.name.padEnd(24)} ours ${result.ours} ${result.unit}, baseline ${result.baseline} ${result.unit}, ` +
    `ratio ${result.ratio} — target ${describeTarget(result.target)}: ${verdict}  [${result.details}]`
  );
}

/** Percentile of a sample (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
