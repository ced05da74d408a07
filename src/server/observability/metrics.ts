/**
 * A minimal in-process metrics registry: named counters and gauges with labels. The observability issue exposes
 * snapshot() as Prometheus text; until then the values are read by tests and the admin status page.
 * Counters are process-wide (one registry per process), so every replica counts its own share.
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

export interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: { labels: Labels; value: number }[];
}

interface Entry {
  help: string;
  type: 'counter' | 'gauge';
  samples: Map<string, { labels: Labels; value: number }>;
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

export function snapshot(): MetricSnapshot[] {
  return [...registry].map(([name, entry]) => ({
    name,
    help: entry.help,
    type: entry.type,
    samples: [...entry.samples.values()].map((s) => ({ labels: { ...s.labels }, value: s.value })),
  }));
}
