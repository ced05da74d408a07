/**
 * A minimal in-process metrics registry: named counters, gauges and histograms with labels, exposed as
 * Prometheus text on the internal metrics port (observability/metrics-server.ts). Counters are process-wide (one
 * registry per process), so every replica counts its own share. Values that live in the database (job runs,
 * audit verification, org-source staleness) are read at scrape time by collectors (registerCollector), so a
 * CronJob's short-lived process still shows up in every replica's scrape.
 */
export type Labels = Record<string, string>;

export interface Counter {
  readonly name: string;
  inc(labels?: Labels, by?: number): void;
  value(labels?: Labels): number;
}

/** A value that is set, not counted (e.g. whether an org source is stale). */
export interface Gauge {
  readonly name: string;
  set(labels: Labels, value: number): void;
  value(labels?: Labels): number;
}

/** Observations counted into fixed buckets (Prometheus style), e.g. how long a save took. */
export interface Histogram {
  readonly name: string;
  observe(labels: Labels, value: number): void;
  /** How many observations this series has (0 when none). */
  count(labels?: Labels): number;
  sum(labels?: Labels): number;
}

/** A histogram series: per upper bound `le`, how many observations were at most that (cumulative). */
export interface HistogramData {
  sum: number;
  buckets: { le: number; count: number }[];
}

export interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  /** For a histogram, `value` is the observation count and `histogram` carries the sum and the buckets. */
  samples: { labels: Labels; value: number; histogram?: HistogramData }[];
}

interface Sample {
  labels: Labels;
  value: number;
  histogram?: HistogramData;
}

interface Entry {
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: Map<string, Sample>;
}

const registry = new Map<string, Entry>();

/** Labels in a stable order, so {a,b} and {b,a} are one series. */
function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The counter of this name, created on first use (calling it twice returns the same series). */
export function counter(name: string, help: string): Counter {
  const samples = entryOf(name, help, 'counter').samples;
  return {
    name,
    inc(labels = {}, by = 1) {
      if (by < 0) throw new Error('a counter only goes up');
      const key = seriesKey(labels);
      const sample = samples.get(key);
      if (sample) sample.value += by;
      else samples.set(key, { labels: { ...labels }, value: by });
    },
    value(labels = {}) {
      return samples.get(seriesKey(labels))?.value ?? 0;
    },
  };
}

function entryOf(name: string, help: string, type: Entry['type']): Entry {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid metric name ${name}`);
  let entry = registry.get(name);
  if (!entry) {
    entry = { help, type, samples: new Map() };
    registry.set(name, entry);
  }
  if (entry.type !== type) throw new Error(`metric ${name} is a ${entry.type}, not a ${type}`);
  return entry;
}

/** The gauge of this name, created on first use. */
export function gauge(name: string, help: string): Gauge {
  const samples = entryOf(name, help, 'gauge').samples;
  return {
    name,
    set(labels, value) {
      if (!Number.isFinite(value)) throw new Error('a gauge holds a finite number');
      samples.set(seriesKey(labels), { labels: { ...labels }, value });
    },
    value(labels = {}) {
      return samples.get(seriesKey(labels))?.value ?? 0;
    },
  };
}

/**
 * The histogram of this name with these bucket upper bounds (ascending; +Inf is implied), created on first use.
 * Bounds are fixed per metric so series stay comparable across replicas and restarts.
 */
export function histogram(name: string, help: string, bounds: readonly number[]): Histogram {
  if (
    bounds.length === 0 ||
    bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] ?? b)))
  )
    throw new Error(`histogram ${name} needs finite, strictly ascending bucket bounds`);
  const samples = entryOf(name, help, 'histogram').samples;
  return {
    name,
    observe(labels, value) {
      if (!Number.isFinite(value)) throw new Error('a histogram observes a finite number');
      const key = seriesKey(labels);
      let sample = samples.get(key);
      if (!sample) {
        sample = {
          labels: { ...labels },
          value: 0,
          histogram: {
            sum: 0,
            buckets: [...bounds, Number.POSITIVE_INFINITY].map((le) => ({ le, count: 0 })),
          },
        };
        samples.set(key, sample);
      }
      sample.value += 1;
      const data = sample.histogram as HistogramData;
      data.sum += value;
      for (const bucket of data.buckets) if (value <= bucket.le) bucket.count += 1;
    },
    count(labels = {}) {
      return samples.get(seriesKey(labels))?.value ?? 0;
    },
    sum(labels = {}) {
      return samples.get(seriesKey(labels))?.histogram?.sum ?? 0;
    },
  };
}

export function snapshot(): MetricSnapshot[] {
  return [...registry].map(([name, entry]) => ({
    name,
    help: entry.help,
    type: entry.type,
    samples: [...entry.samples.values()].map((s) => ({
      labels: { ...s.labels },
      value: s.value,
      ...(s.histogram
        ? {
            histogram: {
              sum: s.histogram.sum,
              buckets: s.histogram.buckets.map((b) => ({ ...b })),
            },
          }
        : {}),
    })),
  }));
}

/** Refreshes gauges from their source just before a scrape (e.g. a database read). */
export type Collector = () => Promise<void> | void;

const collectors = new Map<string, Collector>();

/** Register (or replace, by name) a collector; it runs before every scrape. */
export function registerCollector(name: string, collect: Collector): void {
  collectors.set(name, collect);
}

/**
 * Run every collector (a failing or slow collector is reported, never fatal: the scrape still answers with the
 * values it has), then return the snapshot.
 */
export async function collect(
  onError: (name: string, err: unknown) => void = () => {},
  timeoutMs = 2_000,
): Promise<MetricSnapshot[]> {
  await Promise.all(
    [...collectors].map(async ([name, run]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(run),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`collector ${name} timed out`)), timeoutMs);
          }),
        ]);
      } catch (err) {
        onError(name, err);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return snapshot();
}
