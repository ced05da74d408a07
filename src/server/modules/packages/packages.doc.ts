/**
 * The one document model every rendering draws from: a gatherer (packages.data.<audience>.ts) builds it from
 * live state, and the Markdown, HTML and PDF renderers print exactly the same sections, facts and tables.
 * Plain data: strings and numbers only, never a secret (gatherers pick what goes in by name).
 */
export type Cell = string | number | null;

export type Block =
  | { kind: 'text'; text: string }
  /** Label → value pairs. */
  | { kind: 'facts'; rows: [string, Cell][] }
  | { kind: 'table'; columns: string[]; rows: Cell[][]; empty?: string }
  | { kind: 'list'; items: string[]; empty?: string };

export interface Section {
  heading: string;
  blocks: Block[];
}

export interface PackageDoc {
  title: string;
  /** One line under the title: audience, environment, verdict. */
  subtitle: string;
  sections: Section[];
  /** The footer line: package id and snapshot id. */
  footer: string;
}

export const text = (value: string): Block => ({ kind: 'text', text: value });
export const facts = (rows: [string, Cell][]): Block => ({ kind: 'facts', rows });
export const table = (columns: string[], rows: Cell[][], empty = 'None.'): Block => ({
  kind: 'table',
  columns,
  rows,
  empty,
});
export const list = (items: string[], empty = 'None.'): Block => ({ kind: 'list', items, empty });

export const cellText = (value: Cell): string => (value === null || value === '' ? '—' : String(value));

/** A date-time as "2026-11-21 21:30 UTC" (packages are read by people, in one time zone). */
export function when(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const iso = typeof value === 'string' ? value : value.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const day = (value: Date | string | null | undefined): string =>
  value === null || value === undefined
    ? '—'
    : (typeof value === 'string' ? value : value.toISOString()).slice(0, 10);

/** Only the host of a URL (never its path, query or credentials); '—' when unset or not a URL. */
export function hostOf(url: string | undefined | null): string {
  if (!url) return '—';
  try {
    return new URL(url).host || '—';
  } catch {
    return '—';
  }
}

export const percent = (numerator: number, denominator: number): string =>
  denominator === 0
    ? '—'
    : `${Math.round((numerator / denominator) * 100)} % (${numerator} of ${denominator})`;
