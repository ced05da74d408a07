/**
 * Calendar dates as PMO spreadsheets write them → YYYY-MM-DD. Pure.
 *
 * Accepted: ISO `2026-03-05` (a time after it is ignored) and `2026/03/05`; numeric `3/5/2026`, `3-5-2026`,
 * `05.03.2026` (two-digit years are 20yy); `5 Mar 2026`, `5-Mar-2026`, `5 March 2026`, `March 5, 2026`,
 * `Mar 5 2026` (an optional weekday in front, "Thu, 5 Mar 2026"); Excel serial day numbers (`46086` = 2026-03-05,
 * between 1955 and 2118).
 *
 * Day or month first: dotted dates are day-first (the European convention; nobody writes month.day.year).
 * Slash and dash dates are decided per file: if some rows can only be day-first (`13/3/2026`) and none only
 * month-first, the file is day-first; otherwise it is month-first, and an ambiguous date (both parts ≤ 12)
 * is read month-first with a warning when the file gives no evidence either way.
 */
export type DateOrder = 'dmy' | 'mdy';

export interface FileDateOrder {
  order: DateOrder;
  /** Whether the file's unambiguous dates settled it (no warning for its ambiguous dates). */
  decided: boolean;
}

export type DateResult = { ok: true; date: string; warning?: string } | { ok: false };

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const NUMERIC = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\.?$/;
const ISO = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[t ].*)?$/;
const DAY_MONTH = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})$/;
const MONTH_DAY = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/;
const WEEKDAY = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;
/** Excel's day 0 is 1899-12-30 (it counts the 1900 leap day that never was). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

const fullYear = (text: string) => (text.length === 2 ? 2000 + Number(text) : Number(text));

/** "mar", "march", "sept" → 3, 3, 9; the word must be the start of a month's name (3 letters at least). */
function monthOf(word: string): number | null {
  const index = MONTH_NAMES.findIndex((name) => name.startsWith(word));
  return word.length >= 3 && index >= 0 ? index + 1 : null;
}

/** Which order a slash/dash date can only be read in, or null when both (or neither) work. */
export function slashEvidence(value: string): DateOrder | null {
  const m = NUMERIC.exec(value.trim());
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a > 12 && b <= 12) return 'dmy';
  if (b > 12 && a <= 12) return 'mdy';
  return null;
}

/** Decides a file's day/month order from all its date cells. */
export function decideDateOrder(values: Iterable<string>): FileDateOrder {
  let dmy = 0;
  let mdy = 0;
  for (const value of values) {
    const evidence = slashEvidence(value);
    if (evidence === 'dmy') dmy += 1;
    else if (evidence === 'mdy') mdy += 1;
  }
  if (dmy > 0 && mdy === 0) return { order: 'dmy', decided: true };
  return { order: 'mdy', decided: mdy > 0 && dmy === 0 };
}

export function parseDate(input: string, file: FileDateOrder): DateResult {
  const value = input.trim().toLowerCase();
  const done = (date: string | null, warning?: string): DateResult =>
    date === null ? { ok: false } : warning ? { ok: true, date, warning } : { ok: true, date };
  let m = ISO.exec(value);
  if (m) return done(ymd(Number(m[1]), Number(m[2]), Number(m[3])));
  m = DOTTED.exec(value);
  if (m) return done(ymd(fullYear(m[3] as string), Number(m[2]), Number(m[1])));
  m = NUMERIC.exec(value);
  if (m) {
    const [a, b, year] = [Number(m[1]), Number(m[2]), fullYear(m[3] as string)];
    if (a > 12) return done(ymd(year, b, a));
    if (b > 12) return done(ymd(year, a, b));
    const date = file.order === 'dmy' ? ymd(year, b, a) : ymd(year, a, b);
    if (a === b || file.decided) return done(date);
    return done(date, `"${input.trim()}" could be day/month or month/day; read as month/day (${date})`);
  }
  if (SERIAL.test(value)) {
    const serial = Math.floor(Number(value));
    if (serial < 20000 || serial > 80000) return { ok: false };
    const date = new Date(EXCEL_EPOCH + serial * 86_400_000);
    return done(ymd(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()));
  }
  const words = value.replace(WEEKDAY, '');
  m = DAY_MONTH.exec(words);
  if (m) {
    const month = monthOf(m[2] as string);
    return month === null ? { ok: false } : done(ymd(Number(m[3]), month, Number(m[1])));
  }
  m = MONTH_DAY.exec(words);
  if (m) {
    const month = monthOf(m[1] as string);
    return month === null ? { ok: false } : done(ymd(Number(m[3]), month, Number(m[2])));
  }
  return { ok: false };
}
