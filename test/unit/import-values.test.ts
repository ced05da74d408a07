import { describe, expect, it } from 'vitest';
import { decideDateOrder, parseDate } from '../../src/server/modules/imports/imports.dates.ts';
import { normalizeKey, proposeMapping } from '../../src/server/modules/imports/imports.mapping.ts';
import { detectDelimiter, parseCsv } from '../../src/server/modules/imports/imports.parse.ts';
import {
  attendanceOf,
  booleanOf,
  eventStatusOf,
  quarterOf,
  regionOf,
  splitList,
} from '../../src/server/modules/imports/imports.vocab.ts';

const mdy = { order: 'mdy', decided: true } as const;

describe('dates', () => {
  it.each([
    ['2026-03-05', '2026-03-05'],
    ['2026/3/5', '2026-03-05'],
    ['2026-03-05T10:00:00Z', '2026-03-05'],
    ['3/17/2026', '2026-03-17'],
    ['17/3/2026', '2026-03-17'],
    ['05.03.2026', '2026-03-05'],
    ['5.3.26', '2026-03-05'],
    ['5 Mar 2026', '2026-03-05'],
    ['5-Mar-2026', '2026-03-05'],
    ['Thu, 5 March 2026', '2026-03-05'],
    ['March 5, 2026', '2026-03-05'],
    ['Sept 1 2026', '2026-09-01'],
    ['46086', '2026-03-05'],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input, mdy)).toEqual({ ok: true, date: expected });
  });

  it.each(['2026-02-30', '13/13/2026', 'Marchx 5, 2026', 'someday', '123', '99999', ''])(
    '%s is not a date',
    (input) => {
      expect(parseDate(input, mdy).ok).toBe(false);
    },
  );

  it('decides day/month order per file; undecided files read month first with a warning', () => {
    expect(decideDateOrder(['4/5/2026', '17/3/2026'])).toEqual({ order: 'dmy', decided: true });
    expect(decideDateOrder(['4/5/2026', '3/17/2026'])).toEqual({ order: 'mdy', decided: true });
    const undecided = decideDateOrder(['4/5/2026', '2026-01-01']);
    expect(undecided).toEqual({ order: 'mdy', decided: false });
    expect(parseDate('4/5/2026', decideDateOrder(['17/3/2026']))).toEqual({ ok: true, date: '2026-05-04' });
    const warned = parseDate('4/5/2026', undecided);
    expect(warned).toMatchObject({
      ok: true,
      date: '2026-04-05',
      warning: expect.stringContaining('month/day'),
    });
    expect(parseDate('4/4/2026', undecided)).toEqual({ ok: true, date: '2026-04-04' });
  });
});

describe('vocabulary', () => {
  it('reads emoji and free-text statuses', () => {
    expect(
      ['✅ Confirmed', '🟡 Tentative', '❌ Cancelled', 'Done ✔️', 'TBD', '✅', 'on hold', 'purple'].map(
        eventStatusOf,
      ),
    ).toEqual([
      'confirmed',
      'planning',
      'cancelled',
      'completed',
      'planning',
      'confirmed',
      'postponed',
      null,
    ]);
  });
  it('reads regions, attendance, booleans, quarters and lists', () => {
    expect(['NA', 'North America', 'Europe', 'EU', 'Asia Pacific', 'LatAm', 'Mars'].map(regionOf)).toEqual([
      'AMER',
      'AMER',
      'EMEA',
      'EMEA',
      'APAC',
      'LATAM',
      null,
    ]);
    expect(['In person', 'Onsite', 'Virtual', 'Hybrid', '?'].map(attendanceOf)).toEqual([
      'on_site',
      'on_site',
      'virtual',
      'hybrid',
      null,
    ]);
    expect(['yes', 'Y', 'true', 'x', '✅', 'no', 'maybe'].map(booleanOf)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      null,
    ]);
    expect(['Q4 FY26', 'fy2027-q1', 'Q4', 'Q5 FY26'].map(quarterOf)).toEqual([
      'Q4 FY26',
      'Q1 FY27',
      null,
      null,
    ]);
    expect(splitList('a@x.com; b@x.com / C D\nE,,')).toEqual(['a@x.com', 'b@x.com', 'C D', 'E']);
  });
});

describe('headers and mapping', () => {
  it('normalises header keys', () => {
    expect(normalizeKey('  Régíon 🌍 / Geo ')).toBe('region geo');
    expect(normalizeKey('ＤＡ　Onsite👥')).toBe('da onsite');
  });
  it('learned → exact → fuzzy → none, one column per field, manual wins', () => {
    const aliases = new Map([['wer vor ort', 'assigned_on_site']]);
    const columns = proposeMapping(
      ['Wer vor Ort!', 'Event', 'Evnt Name', 'Start Dt', 'Budget', 'Region'],
      aliases,
      {
        Region: null,
      },
    );
    expect(columns.map((c) => `${c.field}:${c.match}`)).toEqual([
      'assigned_on_site:learned',
      'name:exact',
      // "name" is taken by the exact match: its next fuzzy candidate within the threshold.
      'account_name:fuzzy',
      'starts_on:fuzzy',
      'null:none',
      'null:manual',
    ]);
    const manual = proposeMapping(['Event', 'Title'], new Map(), { Title: 'name' });
    expect(manual.map((c) => `${c.field}:${c.match}`)).toEqual(['null:none', 'name:manual']);
  });
});

describe('CSV parsing', () => {
  it('detects the delimiter outside quotes', () => {
    expect(detectDelimiter('a;b;"c,d,e"\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc\n')).toBe('\t');
    expect(detectDelimiter('a,b;c\n')).toBe(',');
  });
  it('handles BOM, CRLF, quoted new lines, ragged and blank rows, repeated headers', () => {
    const parsed = parseCsv('\uFEFFName;Name;;Start\r\n"A\r\nB";x\r\n;;;\r\nC;y;z;2026-01-01;extra\r\n');
    expect(parsed.headers).toEqual(['Name', 'Name (2)', 'Column 3', 'Start']);
    expect(parsed.records).toEqual([
      { line: 2, cells: ['A\r\nB', 'x', '', ''], blank: false },
      { line: 4, cells: ['', '', '', ''], blank: true },
      { line: 5, cells: ['C', 'y', 'z', '2026-01-01'], blank: false },
    ]);
  });
});
