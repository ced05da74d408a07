import Fuse from 'fuse.js';
import type { ImportMapping } from '../../../contract/api/imports.ts';
import { IMPORT_FIELDS, type ImportField } from '../../../contract/program.ts';

/**
 * Column mapping: which event field each spreadsheet column fills. Pure (the learned aliases are passed in).
 *
 * Order of evidence for a column: a manual choice (upload `mapping` or PUT) → a learned alias (by the header's
 * normalised key) → an exact match (the field's id, label or a synonym) → a fuzzy match (fuse.js over ids,
 * labels and synonyms) → none. One field is filled by one column only: manual choices first, then learned and
 * exact matches, then fuzzy ones, each group by score (ties: the leftmost column).
 */
export type ImportMatch = 'learned' | 'exact' | 'fuzzy' | 'manual' | 'none';

export interface ColumnMapping {
  index: number;
  header: string;
  field: ImportField | null;
  match: ImportMatch;
  score: number;
}

/**
 * fuse.js scores 0 (perfect) … 1 (no match). A fuzzy match is accepted when its fuse score is at most this,
 * i.e. our score (1 − fuse score) is at least 0.65: "Evnt Name", "Start Dt", "Regoin" and "Acount" match;
 * "Notes", "Budget" and "Internal notes" do not.
 */
export const FUZZY_MAX_FUSE_SCORE = 0.35;
/** Shorter normalised headers ("id", "da") match too many things by substring: exact or learned only. */
const FUZZY_MIN_LENGTH = 3;

/**
 * The normalised key of a header or a value: NFKC, accents removed, lower case, emoji and punctuation
 * replaced by spaces, white space collapsed. "  Régíon 🌍 / Geo " → "region geo".
 */
export function normalizeKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const FIELD_IDS = new Set<string>(IMPORT_FIELDS.map((f) => f.id));
export const isImportField = (value: string): value is ImportField => FIELD_IDS.has(value);

/** Every exact spelling (normalised) → its field; the first field listing a spelling keeps it. */
const EXACT = new Map<string, ImportField>();
for (const field of IMPORT_FIELDS) {
  for (const text of [field.id, field.label, ...field.synonyms]) {
    const key = normalizeKey(text);
    if (key && !EXACT.has(key)) EXACT.set(key, field.id);
  }
}

/** Whether a header is already an exact spelling of the field (then there is nothing to learn). */
export const isExactSpelling = (header: string, field: ImportField): boolean =>
  EXACT.get(normalizeKey(header)) === field;

const fuse = new Fuse(
  [...EXACT.entries()].map(([text, field]) => ({ text, field })),
  { keys: ['text'], includeScore: true, ignoreLocation: true, threshold: FUZZY_MAX_FUSE_SCORE },
);

interface Candidate {
  index: number;
  field: ImportField;
  match: 'learned' | 'exact' | 'fuzzy';
  score: number;
}

function candidatesFor(index: number, header: string, aliases: ReadonlyMap<string, string>): Candidate[] {
  const key = normalizeKey(header);
  if (!key) return [];
  const learned = aliases.get(key);
  if (learned !== undefined && isImportField(learned))
    return [{ index, field: learned, match: 'learned', score: 1 }];
  const exact = EXACT.get(key);
  if (exact) return [{ index, field: exact, match: 'exact', score: 1 }];
  if (key.length < FUZZY_MIN_LENGTH) return [];
  const seen = new Set<ImportField>();
  const out: Candidate[] = [];
  for (const hit of fuse.search(key)) {
    const fuseScore = hit.score ?? 1;
    if (fuseScore > FUZZY_MAX_FUSE_SCORE || seen.has(hit.item.field)) continue;
    seen.add(hit.item.field);
    out.push({ index, field: hit.item.field, match: 'fuzzy', score: round(1 - fuseScore) });
  }
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const RANK = { learned: 0, exact: 0, fuzzy: 1 } as const;

/**
 * The mapping proposed for these headers, with `manual` choices (header → field or null) taking precedence.
 * `aliases` maps a normalised header key to a field id.
 */
export function proposeMapping(
  headers: readonly string[],
  aliases: ReadonlyMap<string, string>,
  manual: Readonly<Record<string, ImportField | null>> = {},
): ColumnMapping[] {
  const out: ColumnMapping[] = headers.map((header, index) => ({
    index,
    header,
    field: null,
    match: 'none',
    score: 0,
  }));
  const taken = new Set<ImportField>();
  const decided = new Set<number>();
  for (const column of out) {
    if (!Object.hasOwn(manual, column.header)) continue;
    const field = manual[column.header] ?? null;
    Object.assign(column, { field, match: 'manual', score: 1 });
    if (field) taken.add(field);
    decided.add(column.index);
  }
  const candidates = out
    .filter((c) => !decided.has(c.index))
    .flatMap((c) => candidatesFor(c.index, c.header, aliases))
    .sort((a, b) => RANK[a.match] - RANK[b.match] || b.score - a.score || a.index - b.index);
  for (const candidate of candidates) {
    if (decided.has(candidate.index) || taken.has(candidate.field)) continue;
    const column = out[candidate.index] as ColumnMapping;
    Object.assign(column, { field: candidate.field, match: candidate.match, score: candidate.score });
    taken.add(candidate.field);
    decided.add(candidate.index);
  }
  return out;
}

/**
 * The mapping an import keeps (every header → field or null) shown with how each column got its field: a
 * column whose stored field is what the matcher proposes now is reported as the matcher's kind, any other as
 * `manual` (the person chose it).
 */
export function describeMapping(
  headers: readonly string[],
  stored: Readonly<Record<string, string | null>>,
  aliases: ReadonlyMap<string, string>,
): ColumnMapping[] {
  const proposed = proposeMapping(headers, aliases);
  return proposed.map((column) => {
    const kept = Object.hasOwn(stored, column.header) ? (stored[column.header] ?? null) : column.field;
    const field = kept !== null && isImportField(kept) ? kept : null;
    if (field === column.field) return column;
    return { ...column, field, match: 'manual', score: 1 };
  });
}

/** The stored form: every header → its field or null. */
export const mappingRecord = (columns: readonly ColumnMapping[]): ImportMapping =>
  Object.fromEntries(columns.map((c) => [c.header, c.field]));

/** Required fields no column fills. */
export const missingRequired = (columns: readonly ColumnMapping[]): ImportField[] =>
  IMPORT_FIELDS.filter((f) => f.required && !columns.some((c) => c.field === f.id)).map((f) => f.id);
