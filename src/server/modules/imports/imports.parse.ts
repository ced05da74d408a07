import { CsvError, parse } from 'csv-parse/sync';
import { LIMITS } from '../../../contract/limits.ts';
import { ValidationError } from '../../errors.ts';

/**
 * A PMO spreadsheet (CSV export) → headers and rows. Pure. A UTF-8 BOM, quoted cells with embedded
 * delimiters or new lines, CRLF or LF, `,` `;` or tab as delimiter (whichever the header line uses most
 * outside quotes; `,` on a tie), and ragged rows (short rows read as blank cells, extra cells ignored) are
 * fine. Headers are trimmed; a blank header becomes "Column N" and a repeated one "Header (2)", so each
 * header names one column in a mapping.
 */
export interface CsvRecord {
  /** 1-based line where the row starts (the header is line 1). */
  line: number;
  cells: string[];
  /** Every cell is blank. */
  blank: boolean;
}

export interface ParsedCsv {
  headers: string[];
  records: CsvRecord[];
}

const FIELD = 'body.csv';
const bad = (message: string) =>
  new ValidationError(`The file cannot be imported: ${message}`, [{ field: FIELD, message }]);

export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

export function parseCsv(csv: string): ParsedCsv {
  if (Buffer.byteLength(csv, 'utf8') > LIMITS.importBytes)
    throw bad(`is larger than ${LIMITS.importBytes / (1024 * 1024)} MiB`);
  const text = csv.replace(/^\uFEFF/, '');
  if (!text.trim()) throw bad('must not be empty');
  let raw: { record: string[]; raw: string }[];
  try {
    raw = parse(text, {
      delimiter: detectDelimiter(text),
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      raw: true,
      // One more than the limit (the header) plus one, so "too many rows" is reported instead of cut off.
      to: LIMITS.importRows + 2,
    }) as unknown as typeof raw;
  } catch (err) {
    if (err instanceof CsvError) throw bad(`line ${String(err.lines ?? '?')}: ${err.message}`);
    throw err;
  }
  const [head, ...body] = raw;
  if (!head) throw bad('must not be empty');
  if (head.record.length > LIMITS.importColumns)
    throw bad(`has ${head.record.length} columns; at most ${LIMITS.importColumns} can be imported`);
  const headers = uniqueHeaders(head.record);
  // A trailing line break yields no record, but a last line of only delimiters is a blank row like any other.
  // csv-parse's own line count differs between CRLF and LF files; each record's start line is counted from
  // the line breaks inside the records before it instead (every record ends with one line break).
  let line = 1 + breaksIn(head.raw);
  const records = body.map(({ record, raw: source }) => {
    const cells = headers.map((_, i) => (record[i] ?? '').trim());
    const start = line + 1;
    line = start + breaksIn(source);
    return { line: start, cells, blank: cells.every((c) => c === '') };
  });
  if (records.length > LIMITS.importRows)
    throw bad(`has more than ${LIMITS.importRows} rows; split the file`);
  if (records.length === 0) throw bad('has a header row but no rows');
  return { headers, records };
}

function uniqueHeaders(cells: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const header = cell.trim() || `Column ${i + 1}`;
    if (header.length > LIMITS.importHeader)
      throw bad(`the header of column ${i + 1} is longer than ${LIMITS.importHeader} characters`);
    const key = header.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? header : `${header} (${n})`;
  });
}

/** Line breaks inside a record's source text (its own terminating break excluded). */
const breaksIn = (source: string) => (source.replace(/(\r\n|\r|\n)$/, '').match(/\r\n|\r|\n/g) ?? []).length;
