import type { z } from 'zod';
import type {
  ImportCounts,
  ImportPreview,
  ImportPreviewQuery,
  ImportRow,
} from '../../../contract/api/imports.ts';
import type { ImportField } from '../../../contract/program.ts';
import { type ColumnMapping, describeMapping, isImportField, missingRequired } from './imports.mapping.ts';
import { type ParsedCsv, parseCsv } from './imports.parse.ts';
import type { PlannedRow } from './imports.plan.ts';
import type { Joined } from './imports.repo.ts';
import { draftRow, duplicatesInFile, fileDateOrder, type RowDraft } from './imports.rows.ts';

/**
 * An import as its reader sees it: the file read again with the mapping in force, counts, and one page of
 * rows. Pure; the service plans the rows against the database.
 */
export interface Analysis {
  parsed: ParsedCsv;
  columns: ColumnMapping[];
  drafts: RowDraft[];
  duplicates: Map<number, number>;
}

export function analyse(
  content: string,
  stored: Readonly<Record<string, string | null>>,
  aliases: ReadonlyMap<string, string>,
): Analysis {
  const parsed = parseCsv(content);
  const columns = describeMapping(parsed.headers, stored, aliases);
  const dates = fileDateOrder(parsed, columns);
  const drafts = parsed.records.map((record) => draftRow(record, columns, dates));
  return { parsed, columns, drafts, duplicates: duplicatesInFile(drafts) };
}

export const emptyCounts = (totalRows: number): ImportCounts => ({
  totalRows,
  create: 0,
  update: 0,
  unchanged: 0,
  error: 0,
  duplicateInFile: 0,
  blank: 0,
  warnings: 0,
});

const KEY: Record<ImportRow['action'], keyof ImportCounts> = {
  create: 'create',
  update: 'update',
  unchanged: 'unchanged',
  error: 'error',
  duplicate_in_file: 'duplicateInFile',
  blank: 'blank',
};
const IMPORTING = new Set<ImportRow['action']>(['create', 'update', 'unchanged']);

/** Adds rows to a tally (the apply worker adds chunk by chunk). */
export function addCounts(counts: ImportCounts, rows: readonly ImportRow[]): ImportCounts {
  const out = { ...counts };
  for (const row of rows) {
    out[KEY[row.action]] += 1;
    if (IMPORTING.has(row.action) && row.warnings.length > 0) out.warnings += 1;
  }
  return out;
}

/** Stored counts (jsonb) → the contract's shape, zeros for anything missing. */
export function storedCounts(stored: Record<string, number>, totalRows: number): ImportCounts {
  const out = emptyCounts(totalRows);
  for (const key of Object.keys(out) as (keyof ImportCounts)[])
    if (key !== 'totalRows' && typeof stored[key] === 'number') out[key] = stored[key];
  return out;
}

/** An import's counts as its audit events record them (uploaded: what applying would do; applied: what it did). */
export function auditCounts(record: { fileName: string; fileSha256: string; counts: ImportCounts }) {
  const { counts } = record;
  return {
    fileName: record.fileName,
    fileSha256: record.fileSha256,
    totalRows: counts.totalRows,
    created: counts.create,
    updated: counts.update,
    unchanged: counts.unchanged,
    errors: counts.error,
    blank: counts.blank,
    duplicateInFile: counts.duplicateInFile,
  };
}

function samples(parsed: ParsedCsv | null, index: number): string[] {
  if (!parsed) return [];
  const out: string[] = [];
  for (const record of parsed.records) {
    const cell = record.cells[index];
    if (cell) out.push(cell.length > 80 ? `${cell.slice(0, 79)}…` : cell);
    if (out.length === 3) break;
  }
  return out;
}

const isIssue = (r: ImportRow) => r.errors.length > 0 || r.warnings.length > 0;
const isChange = (r: ImportRow) => r.action === 'create' || r.action === 'update';

/**
 * `analysis` is null once the file is gone (applied: the content is cleared); the columns then come from the
 * stored mapping. `planned` is null while applying or once applied: the stored counts are shown, no rows.
 */
export function toPreview(
  { record, actorName }: Joined,
  analysis: Analysis | null,
  planned: PlannedRow[] | null,
  query: z.output<typeof ImportPreviewQuery>,
): ImportPreview {
  const columns =
    analysis?.columns ??
    Object.entries(record.mapping).map(([header, field], index) => ({
      index,
      header,
      field: field !== null && isImportField(field) ? (field as ImportField) : null,
      match: 'manual' as const,
      score: 1,
    }));
  const all: ImportRow[] = (planned ?? []).map(({ write: _write, ...row }) => row);
  const filtered =
    query.rows === 'issues' ? all.filter(isIssue) : query.rows === 'changes' ? all.filter(isChange) : all;
  return {
    id: record.id,
    fileName: record.fileName,
    status: record.status,
    columns: columns.map((c) => ({ ...c, samples: samples(analysis?.parsed ?? null, c.index) })),
    missingRequired: missingRequired(columns),
    counts: planned
      ? addCounts(emptyCounts(record.totalRows), all)
      : storedCounts(record.counts, record.totalRows),
    processedRows: record.processedRows,
    rows: filtered.slice(query.rowsOffset, query.rowsOffset + query.rowsLimit),
    rowsOffset: query.rowsOffset,
    rowsTotal: filtered.length,
    error: record.error,
    actor: { id: record.actorId, name: actorName },
    createdAt: record.createdAt.toISOString(),
    appliedAt: record.appliedAt?.toISOString() ?? null,
  };
}
