/**
 * Builders for Grafana dashboard JSON (schemaVersion 39). The data source is always the `${datasource}` template
 * variable, so a dashboard imports into any Grafana with a Prometheus data source; no instance's UIDs are baked in.
 * Every query is filtered by the `namespace` variable (All = `.*`, which also matches series without the label).
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's template variable syntax, not a JS template.
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
export const SCHEMA_VERSION = 39;
/** The namespace filter every selector carries. */
export const NS = 'namespace=~"$namespace"';

export interface Target {
  expr: string;
  legend?: string;
  /** A table or stat reads the latest value only. */
  instant?: boolean;
}

export interface PanelSpec {
  title: string;
  description: string;
  targets: Target[];
  unit?: string;
  /** Grid width out of 24 (default 12). */
  w?: number;
  h?: number;
  min?: number;
  max?: number;
  /** Threshold steps: the first has no value (base colour). */
  thresholds?: { color: string; value: number | null }[];
  /** Draw the thresholds as lines on a time series. */
  thresholdLines?: boolean;
  /** Value → text (and colour) for stats such as the audit status. */
  mappings?: { value: number; text: string; color: string }[];
  stack?: boolean;
}

export type PanelKind = 'timeseries' | 'stat' | 'bargauge';
export type Item = { row: string } | ({ kind: PanelKind } & PanelSpec);

export const ts = (spec: PanelSpec): Item => ({ kind: 'timeseries', ...spec });
export const stat = (spec: PanelSpec): Item => ({ kind: 'stat', ...spec });
export const bars = (spec: PanelSpec): Item => ({ kind: 'bargauge', ...spec });
export const row = (title: string): Item => ({ row: title });

function fieldConfig(spec: PanelSpec, kind: PanelKind) {
  const defaults: Record<string, unknown> = { unit: spec.unit ?? 'short' };
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  defaults.thresholds = {
    mode: 'absolute',
    steps: spec.thresholds ?? [{ color: kind === 'timeseries' ? 'green' : 'blue', value: null }],
  };
  if (spec.mappings)
    defaults.mappings = spec.mappings.map((m) => ({
      type: 'value',
      options: { [String(m.value)]: { text: m.text, color: m.color, index: 0 } },
    }));
  if (kind === 'timeseries')
    defaults.custom = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: spec.stack ? 30 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
      thresholdsStyle: { mode: spec.thresholdLines ? 'line' : 'off' },
    };
  return { defaults, overrides: [] };
}

function options(kind: PanelKind) {
  if (kind === 'timeseries')
    return {
      legend: {
        displayMode: 'table',
        placement: 'bottom',
        showLegend: true,
        calcs: ['mean', 'max', 'lastNotNull'],
      },
      tooltip: { mode: 'multi', sort: 'desc' },
    };
  const reduceOptions = { calcs: ['lastNotNull'], fields: '', values: false };
  if (kind === 'bargauge')
    return { reduceOptions, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true };
  return {
    reduceOptions,
    colorMode: 'background',
    graphMode: 'none',
    justifyMode: 'auto',
    orientation: 'auto',
    textMode: 'value_and_name',
  };
}

/** Panels laid out left to right, top to bottom, with full-width rows between sections. */
function layout(items: Item[]) {
  const panels: Record<string, unknown>[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let id = 1;
  for (const item of items) {
    if ('row' in item) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
      panels.push({
        type: 'row',
        id: id++,
        title: item.row,
        collapsed: false,
        gridPos: { h: 1, w: 24, x: 0, y },
        panels: [],
      });
      y += 1;
      continue;
    }
    const w = item.w ?? 12;
    const h = item.h ?? 8;
    if (x + w > 24) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    panels.push({
      type: item.kind,
      id: id++,
      title: item.title,
      description: item.description,
      datasource: DATASOURCE,
      gridPos: { h, w, x, y },
      targets: item.targets.map((t, i) => ({
        refId: String.fromCharCode(65 + i),
        datasource: DATASOURCE,
        expr: t.expr,
        legendFormat: t.legend ?? '__auto',
        range: !(t.instant ?? item.kind !== 'timeseries'),
        instant: t.instant ?? item.kind !== 'timeseries',
      })),
      fieldConfig: fieldConfig(item, item.kind),
      options: options(item.kind),
    });
    x += w;
    rowHeight = Math.max(rowHeight, h);
  }
  return panels;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  items: Item[];
  /** Extra template variables after datasource and namespace (e.g. a route class picker). */
  variables?: Record<string, unknown>[];
  time?: string;
}

const datasourceVariable = {
  name: 'datasource',
  label: 'Data source',
  type: 'datasource',
  query: 'prometheus',
  current: {},
  hide: 0,
  includeAll: false,
  multi: false,
  options: [],
  refresh: 1,
  regex: '',
};

const namespaceVariable = {
  name: 'namespace',
  label: 'Namespace',
  type: 'query',
  datasource: DATASOURCE,
  definition: 'label_values(bi_build_info, namespace)',
  query: { query: 'label_values(bi_build_info, namespace)', refId: 'namespace' },
  current: {},
  hide: 0,
  includeAll: true,
  allValue: '.*',
  multi: false,
  options: [],
  refresh: 2,
  regex: '',
  sort: 1,
};

export function dashboard(spec: DashboardSpec) {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['builder-insights'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    refresh: '1m',
    time: { from: spec.time ?? 'now-6h', to: 'now' },
    templating: { list: [datasourceVariable, namespaceVariable, ...(spec.variables ?? [])] },
    links: [{ type: 'dashboards', tags: ['builder-insights'], asDropdown: true, title: 'Builder Insights' }],
    panels: layout(spec.items),
  };
}

export type Dashboard = ReturnType<typeof dashboard>;

/** `histogram_quantile` over a histogram's buckets, summed by `le` and the given labels. */
export function quantile(q: number, metric: string, selector: string, by: string[] = []): string {
  return `histogram_quantile(${q}, sum by (${['le', ...by].join(', ')}) (rate(${metric}_bucket{${selector}}[$__rate_interval])))`;
}
