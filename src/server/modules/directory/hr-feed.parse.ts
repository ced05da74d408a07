import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { HR_FEED_LIMITS } from '../../../contract/api/directory.ts';

/**
 * HR feed files → normalized rows, or row-level errors naming the row and the column. Pure: no database.
 *
 * CSV: a header row, then one person per row (a UTF-8 BOM, quoted fields, embedded newlines, blank lines and
 * mixed line endings are fine; header names are matched case-insensitively, spaces or hyphens for
 * underscores). JSON: an array of objects, or `{"people": [...]}`. Row numbers: for CSV the line in the file
 * where the row starts (the header is line 1); for JSON the position in the array, from 1.
 *
 * A column that is absent is not asserted (the current value stays); an empty cell is: an empty department,
 * title or manager clears it (no manager = top of the org). An empty name or builder_relations keeps the
 * current value (a new person then gets their e-mail as name and builder_relations false).
 */
export interface HrRow {
  row: number;
  employeeNumber: string;
  email: string;
  name?: string;
  manager?: string | null;
  department?: string | null;
  title?: string | null;
  builderRelations?: boolean;
}

export interface RowError {
  /** null: the file as a whole. */
  row: number | null;
  /** The column as the file documents it (employee_number, email, …) or `file`. */
  field: string;
  message: string;
}

export interface ParsedFeed {
  rows: HrRow[];
  errors: RowError[];
  ignoredColumns: string[];
}

type Field = 'employeeNumber' | 'email' | 'name' | 'manager' | 'department' | 'title' | 'builderRelations';

/** The documented column name of each field (used in messages). */
export const COLUMN_OF: Record<Field, string> = {
  employeeNumber: 'employee_number',
  email: 'email',
  name: 'name',
  manager: 'manager',
  department: 'department',
  title: 'title',
  builderRelations: 'builder_relations',
};

/** Accepted column names, compared without case, spaces, hyphens or underscores. */
const ALIASES: Record<string, Field> = {
  employeenumber: 'employeeNumber',
  email: 'email',
  name: 'name',
  displayname: 'name',
  manager: 'manager',
  manageremployeenumber: 'manager',
  department: 'department',
  title: 'title',
  builderrelations: 'builderRelations',
};

const squash = (key: string) =>
  key
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

const MAX_LENGTH: Record<Exclude<Field, 'builderRelations'>, number> = {
  employeeNumber: HR_FEED_LIMITS.employeeNumber,
  email: HR_FEED_LIMITS.email,
  name: HR_FEED_LIMITS.name,
  manager: HR_FEED_LIMITS.employeeNumber,
  department: HR_FEED_LIMITS.department,
  title: HR_FEED_LIMITS.title,
};

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const emailSchema = z.email();

/** Map raw keys to fields: unknown keys are ignored (listed), a field named twice is an error. */
function mapColumns(keys: readonly string[], row: number | null, errors: RowError[]) {
  const fields = new Map<string, Field>();
  const seen = new Map<Field, string>();
  const ignored: string[] = [];
  for (const key of keys) {
    const field = ALIASES[squash(key)];
    if (!field) {
      if (key.trim()) ignored.push(key.trim());
      continue;
    }
    const earlier = seen.get(field);
    if (earlier !== undefined) {
      errors.push({
        row,
        field: COLUMN_OF[field],
        message: `appears twice ("${earlier}" and "${key.trim()}")`,
      });
      continue;
    }
    seen.set(field, key.trim());
    fields.set(key, field);
  }
  return { fields, ignored };
}

type Raw = string | number | boolean | null | undefined;

function text(field: Exclude<Field, 'builderRelations'>, value: Raw, row: number, errors: RowError[]) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || (typeof value === 'number' && !Number.isFinite(value))) {
    errors.push({ row, field: COLUMN_OF[field], message: 'must be text' });
    return undefined;
  }
  const s = String(value).trim();
  if (s.length > MAX_LENGTH[field]) {
    errors.push({ row, field: COLUMN_OF[field], message: `must be at most ${MAX_LENGTH[field]} characters` });
    return undefined;
  }
  if (CONTROL.test(s)) {
    errors.push({ row, field: COLUMN_OF[field], message: 'must not contain control characters' });
    return undefined;
  }
  return s === '' ? null : s;
}

function flag(value: Raw, row: number, errors: RowError[]): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  const s = String(value).trim().toLowerCase();
  if (s === '') return undefined;
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  errors.push({
    row,
    field: COLUMN_OF.builderRelations,
    message: `must be true/false, yes/no or 1/0 (got "${String(value).slice(0, 20)}")`,
  });
  return undefined;
}

/** One record (field → raw value, absent fields missing) → a row, and whether it is free of errors. */
function toRow(values: Map<Field, Raw>, row: number, errors: RowError[]): { parsed: HrRow; ok: boolean } {
  const before = errors.length;
  const employeeNumber = text('employeeNumber', values.get('employeeNumber'), row, errors);
  if (employeeNumber === null) errors.push({ row, field: COLUMN_OF.employeeNumber, message: 'is required' });
  else if (employeeNumber && /\s/.test(employeeNumber))
    errors.push({ row, field: COLUMN_OF.employeeNumber, message: 'must not contain spaces' });
  const email = text('email', values.get('email'), row, errors);
  if (email === null) errors.push({ row, field: COLUMN_OF.email, message: 'is required' });
  else if (email && !emailSchema.safeParse(email).success)
    errors.push({
      row,
      field: COLUMN_OF.email,
      message: `"${email.slice(0, 60)}" is not a valid e-mail address`,
    });
  const out: HrRow = { row, employeeNumber: employeeNumber ?? '', email: email ?? '' };
  if (values.has('name')) {
    const name = text('name', values.get('name'), row, errors);
    if (name) out.name = name;
  }
  for (const field of ['manager', 'department', 'title'] as const) {
    if (!values.has(field)) continue;
    const value = text(field, values.get(field), row, errors);
    if (value !== undefined) out[field] = value;
  }
  if (out.manager && out.manager === out.employeeNumber)
    errors.push({ row, field: COLUMN_OF.manager, message: 'a person cannot be their own manager' });
  if (values.has('builderRelations')) {
    const b = flag(values.get('builderRelations'), row, errors);
    if (b !== undefined) out.builderRelations = b;
  }
  return { parsed: out, ok: errors.length === before };
}

function lineBreaks(value: string): number {
  return value.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function parseCsv(content: string, errors: RowError[]) {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
      max_record_size: 65_536,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = (e as CsvError & { lines?: number }).lines;
    errors.push({ row: line ?? null, field: 'file', message: `is not valid CSV: ${e.message}` });
    return { records: [] as { row: number; values: Map<Field, Raw> }[], ignored: [] as string[] };
  }
  const nonEmpty = records.filter((r) => r.record.some((v) => v !== ''));
  const header = nonEmpty[0];
  if (!header) {
    errors.push({ row: null, field: 'file', message: 'has no header row' });
    return { records: [], ignored: [] };
  }
  const { fields, ignored } = mapColumns(header.record, header.info.lines, errors);
  const named = new Set(fields.values());
  const missing = (['employeeNumber', 'email'] as const).filter((f) => !named.has(f));
  if (missing.length > 0) {
    errors.push({
      row: header.info.lines,
      field: 'file',
      message: `the header has no ${missing.map((f) => COLUMN_OF[f]).join(' or ')} column (columns are separated by commas)`,
    });
    return { records: [], ignored };
  }
  const byIndex = header.record.map((key) => fields.get(key));
  const out: { row: number; values: Map<Field, Raw> }[] = [];
  for (const { record, info } of nonEmpty.slice(1)) {
    const row = info.lines - record.reduce((n, v) => n + lineBreaks(v), 0);
    if (record.length !== header.record.length) {
      errors.push({
        row,
        field: 'file',
        message: `has ${record.length} values; the header has ${header.record.length} columns`,
      });
      continue;
    }
    const values = new Map<Field, Raw>();
    record.forEach((value, i) => {
      const field = byIndex[i];
      if (field) values.set(field, value);
    });
    out.push({ row, values });
  }
  return { records: out, ignored };
}

function parseJson(content: string, errors: RowError[]) {
  let data: unknown;
  try {
    data = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (e) {
    errors.push({
      row: null,
      field: 'file',
      message: `is not valid JSON: ${(e as Error).message.slice(0, 200)}`,
    });
    return { records: [], ignored: [] };
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { people?: unknown }).people)
      ? (data as { people: unknown[] }).people
      : null;
  if (!list) {
    errors.push({ row: null, field: 'file', message: 'must be a JSON array of people or {"people": [...]}' });
    return { records: [], ignored: [] };
  }
  const ignored = new Set<string>();
  const out: { row: number; values: Map<Field, Raw> }[] = [];
  list.slice(0, HR_FEED_LIMITS.rows + 1).forEach((item, i) => {
    const row = i + 1;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ row, field: 'file', message: 'must be an object' });
      return;
    }
    const entries = Object.entries(item as Record<string, unknown>);
    const { fields, ignored: unknown } = mapColumns(
      entries.map(([k]) => k),
      row,
      errors,
    );
    for (const key of unknown) ignored.add(key);
    const values = new Map<Field, Raw>();
    for (const [key, value] of entries) {
      const field = fields.get(key);
      if (!field) continue;
      if (value !== null && typeof value === 'object') {
        errors.push({ row, field: COLUMN_OF[field], message: 'must be a text, number or boolean value' });
        continue;
      }
      values.set(field, value as Raw);
    }
    out.push({ row, values });
  });
  return { records: out, ignored: [...ignored] };
}

/** Rows whose employee number or e-mail an earlier row already used (rows with other problems included). */
function duplicates(rows: HrRow[], errors: RowError[]) {
  const byNumber = new Map<string, number>();
  const byEmail = new Map<string, number>();
  for (const r of rows) {
    const n = r.employeeNumber ? byNumber.get(r.employeeNumber) : undefined;
    if (n !== undefined)
      errors.push({
        row: r.row,
        field: COLUMN_OF.employeeNumber,
        message: `${r.employeeNumber} is also on row ${n}`,
      });
    else if (r.employeeNumber) byNumber.set(r.employeeNumber, r.row);
    const e = r.email ? byEmail.get(r.email.toLowerCase()) : undefined;
    if (e !== undefined)
      errors.push({ row: r.row, field: COLUMN_OF.email, message: `${r.email} is also on row ${e}` });
    else if (r.email) byEmail.set(r.email.toLowerCase(), r.row);
  }
}

/** Manager chains that loop among the file's own rows (each loop reported once, on every row in it). */
export function fileLoops(rows: HrRow[]): number[][] {
  const byNumber = new Map(rows.map((r) => [r.employeeNumber, r]));
  const state = new Map<string, 'walking' | 'done'>();
  const loops: number[][] = [];
  for (const start of rows) {
    const path: HrRow[] = [];
    let current: HrRow | undefined = start;
    while (current && !state.has(current.employeeNumber)) {
      state.set(current.employeeNumber, 'walking');
      path.push(current);
      current = current.manager ? byNumber.get(current.manager) : undefined;
    }
    if (current && state.get(current.employeeNumber) === 'walking') {
      const from = path.indexOf(current);
      loops.push(path.slice(from).map((r) => r.row));
    }
    for (const r of path) state.set(r.employeeNumber, 'done');
  }
  return loops;
}

export function parseHrFeed(content: string | Buffer, format: 'csv' | 'json'): ParsedFeed {
  const errors: RowError[] = [];
  const bytes = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
  if (bytes > HR_FEED_LIMITS.bytes) {
    errors.push({
      row: null,
      field: 'file',
      message: `is ${bytes} bytes; the limit is ${HR_FEED_LIMITS.bytes} bytes (10 MB)`,
    });
    return { rows: [], errors, ignoredColumns: [] };
  }
  const textContent = typeof content === 'string' ? content : content.toString('utf8');
  const { records, ignored } =
    format === 'csv' ? parseCsv(textContent, errors) : parseJson(textContent, errors);
  if (records.length > HR_FEED_LIMITS.rows) {
    errors.push({
      row: null,
      field: 'file',
      message: `has more than ${HR_FEED_LIMITS.rows} rows; split the organization or raise the limit`,
    });
    return { rows: [], errors, ignoredColumns: ignored };
  }
  if (records.length === 0 && errors.length === 0)
    errors.push({ row: null, field: 'file', message: 'has no people in it' });
  const rows: HrRow[] = [];
  const all: HrRow[] = [];
  for (const { row, values } of records) {
    const { parsed, ok } = toRow(values, row, errors);
    all.push(parsed);
    if (ok) rows.push(parsed);
  }
  duplicates(all, errors);
  for (const loop of fileLoops(rows)) {
    const described = [...loop, loop[0]].map((r) => `row ${r}`).join(' → ');
    for (const row of loop)
      errors.push({
        row,
        field: COLUMN_OF.manager,
        message:
          loop.length === 1
            ? 'a person cannot be their own manager'
            : `the manager chain loops: ${described}`,
      });
  }
  const deduped = dedupeErrors(errors);
  deduped.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { rows, errors: deduped, ignoredColumns: ignored };
}

function dedupeErrors(errors: RowError[]): RowError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.row}|${e.field}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
