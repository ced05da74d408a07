import { type Stringifier, stringify } from 'csv-stringify';

/**
 * CSV for spreadsheets, safely. Every text cell that a spreadsheet could read as a formula gets a leading
 * single quote (OWASP "CSV injection"): a cell starting with = + - @ TAB CR LF — also after leading
 * whitespace, and the full-width forms of = + - @ that Excel treats alike. Numbers stay numbers (a negative
 * change is data, not a formula). Every text cell is quoted, inner quotes doubled; records end in CRLF
 * (RFC 4180); the file starts with a UTF-8 byte order mark so Excel reads it as UTF-8.
 */

const FORMULA_START =
  /^[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]*[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

/** The cell as a spreadsheet will show it, never as a formula. */
export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A cell value: text (made formula-safe), a number, or nothing (an empty cell). */
export type CsvCell = string | number | null | undefined;

/**
 * An object-mode stream: write records (arrays in `columns` order, or objects keyed by column), read CSV
 * text. Its writable side buffers at most a few records, so a producer that waits for 'drain' holds only
 * what the reader has not taken yet.
 */
export function csvStream(columns: readonly string[]): Stringifier {
  return stringify({
    columns: columns.map((key) => ({ key })),
    header: true,
    bom: true,
    quoted_string: true,
    record_delimiter: 'windows',
    cast: {
      string: (value) => formulaSafe(value),
      // Dates and booleans never reach here (records hold strings and numbers), but stay safe if they do.
      date: (value) => value.toISOString(),
      boolean: (value) => (value ? 'true' : 'false'),
    },
  });
}

/** Resolves when `out` can take more records, or when it closed (the reader went away). */
export function drained(out: NodeJS.WritableStream & { destroyed?: boolean }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.removeListener('drain', done);
      out.removeListener('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
