/**
 * A minimal in-process metrics registry: named counters with labels. The observability issue exposes
 * snapshot() as Prometheus text; until then the values are read by tests and the admin status page.
 * Counters are process-wide (one registry per process), so every replica counts its own share.
 */
export type Labels = Record<string, string>;

export interface Counter {
  readonly name: string;
  inc(labels?: Labels, by?: number): void;
  value(labels?: Labels): number;
}

export interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter';
  samples: { labels: Labels; value: number }[];
}

interface Entry {
  help: string;
  samples: Map<string, { labels: Labels; value: number }>;
}

const registry = new Map<string, Entry>();

/** Labels in a stable order, so {a,b} and {b,a} are one series. */
function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The counter of this name, created on first use (calling it twice returns the same series). */
export function counter(name: string, help: string): Counter {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid metric name ${name}`);
  let entry = registry.get(name);
  if (!entry) {
    entry = { help, samples: new Map() };
    registry.set(name, entry);
  }
  const samples = entry.samples;
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

export function snapshot(): MetricSnapshot[] {
  return [...registry].map(([name, entry]) => ({
    name,
    help: entry.help,
    type: 'counter' as const,
    samples: [...entry.samples.values()].map((s) => ({ labels: { ...s.labels }, value: s.value })),
  }));
}
