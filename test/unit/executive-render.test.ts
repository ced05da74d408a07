import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ExecutiveReport } from '../../src/contract/api/reporting.ts';
import { INSIGHT_TYPES, PRIORITIES, PRODUCT_AREAS, SENTIMENTS } from '../../src/contract/taxonomy.ts';
import { csvStream } from '../../src/server/modules/exports/exports.csv.ts';
import {
  EXECUTIVE_CSV_COLUMNS,
  executiveCsvRows,
} from '../../src/server/modules/exports/exports.executive-csv.ts';
import { executivePdf, pdfText } from '../../src/server/modules/exports/exports.pdf.ts';
import {
  boundedSummary,
  SUMMARY_MAX_WORDS,
  summaryPayload,
} from '../../src/server/modules/summary/summary.prompt.ts';
import { pdfPlainText } from '../helpers/pdf-text.ts';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const person = { id: ID(1), name: 'Ari Levy' };
const event = { id: ID(2), name: 'MongoDB.local NYC' };
const zeros = (list: readonly { id: string; label: string }[]) =>
  list.map((e, i) => ({ key: e.id, label: e.label, count: i === 0 ? 7 : 0 }));

/** A hand-made report with the awkward parts: formulas in text, non-Latin quotes, a negative change. */
const FIXTURE = ExecutiveReport.parse({
  title: 'Builder Insights executive report — Q4 2026 — team amer',
  scopeLabel: 'Your own insights, team amer',
  period: {
    period: 'quarter',
    from: '2026-10-01',
    to: '2026-12-31',
    days: 92,
    previousFrom: '2026-07-01',
    previousTo: '2026-09-30',
    label: 'Q4 2026',
  },
  filters: { period: 'quarter', type: 'pain_point' },
  cards: [
    { key: 'insights', label: 'Insights', value: 12, previous: 16, change: -0.25 },
    { key: 'critical', label: 'Critical', value: 2, previous: 0, change: null },
  ],
  narrative: [
    { heading: 'Volume', text: '12 insights, 25 % fewer than the previous period (16).' },
    { heading: 'Formula', text: '=HYPERLINK("https://evil.example","x")' },
  ],
  themes: [
    {
      key: 'vector search',
      label: 'vector search',
      terms: ['vector', 'search'],
      current: 5,
      previous: 1,
      growth: 4,
      status: 'growing',
      score: 3.2,
      explanation: 'Mentioned in 5 insights, up from 1.',
      citations: [
        {
          insightId: ID(10),
          quote: [
            { text: 'The ', match: false },
            { text: 'vector search', match: true },
            { text: ' latency doubled 日本語 🚀', match: false },
          ],
          author: person,
          event,
          capturedAt: '2026-11-02T10:00:00.000Z',
        },
        {
          insightId: ID(11),
          quote: [{ text: '+1 for vector search in Atlas', match: false }],
          author: person,
          event: null,
          capturedAt: '2026-11-03T10:00:00.000Z',
        },
      ],
      query: '"vector search"',
    },
  ],
  critical: [
    {
      id: ID(20),
      title: 'Driver crash on reconnect',
      excerpt: 'The Node driver crashes on reconnect after a failover.',
      type: 'bug_report',
      sentiment: 'negative',
      priority: 'critical',
      productAreas: ['drivers'],
      author: person,
      event,
      capturedAt: '2026-11-05T09:00:00.000Z',
    },
  ],
  distributions: {
    byType: zeros(INSIGHT_TYPES),
    bySentiment: zeros(SENTIMENTS),
    byPriority: zeros(PRIORITIES),
    byProductArea: zeros(PRODUCT_AREAS),
  },
  topEvents: [{ id: event.id, name: event.name, count: 9 }],
  summaryAvailable: false,
  taxonomyVersion: '2026.1',
  generatedAt: '2026-11-21T12:00:00.000Z',
});

describe('executive report as CSV', () => {
  it('has one row per fact, in the report’s order, numbers as numbers and text formula-safe', async () => {
    const out = csvStream(EXECUTIVE_CSV_COLUMNS);
    for (const row of executiveCsvRows(FIXTURE)) out.write(row);
    out.end();
    const rows = parse((await buffer(out)).toString('utf8'), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    const find = (section: string, key: string) => rows.find((r) => r.section === section && r.key === key);
    expect(Object.keys(rows[0] ?? {})).toEqual([...EXECUTIVE_CSV_COLUMNS]);
    expect(find('report', 'title')?.value).toBe(FIXTURE.title);
    expect(find('report', 'period')).toMatchObject({ label: 'Q4 2026', value: '2026-10-01 to 2026-12-31' });
    expect(find('metric', 'insights')).toMatchObject({ value: '12', previous: '16', change: '-0.25' });
    expect(find('metric', 'critical')).toMatchObject({ value: '2', previous: '0', change: '' });
    expect(find('narrative', '2')?.value).toBe(`'=HYPERLINK("https://evil.example","x")`);
    expect(find('theme', 'vector search')).toMatchObject({ value: '5', previous: '1', change: '4' });
    expect(find('theme_citation', ID(10))?.value).toBe('The vector search latency doubled 日本語 🚀');
    expect(find('theme_citation', ID(11))?.value).toBe("'+1 for vector search in Atlas");
    expect(find('critical', ID(20))?.label).toBe('Driver crash on reconnect');
    expect(find('by_type', INSIGHT_TYPES[0].id)?.value).toBe('7');
    expect(rows.filter((r) => r.section === 'by_product_area')).toHaveLength(PRODUCT_AREAS.length);
    expect(find('top_event', event.id)).toMatchObject({ label: event.name, value: '9' });
  });
});

describe('executive report as PDF', () => {
  it('is a PDF with the title, scope, period, cards, narrative, quoted citations and critical items', async () => {
    const pdf = await buffer(executivePdf(FIXTURE));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = pdfPlainText(pdf);
    expect(text).toContain(FIXTURE.title);
    expect(text).toContain('Scope: Your own insights, team amer');
    expect(text).toContain('Period: Q4 2026 (2026-10-01 to 2026-12-31)');
    expect(text).toMatch(/Insights 12 16 -25 %/);
    expect(text).toContain('12 insights, 25 % fewer than the previous period (16).');
    // Characters the built-in fonts cannot draw are shown as "?" rather than as garbage.
    expect(text).toContain('“The vector search latency doubled ??? ?”');
    expect(text).toContain('Driver crash on reconnect');
    expect(text).toContain('MongoDB.local NYC');
  });

  it('breaks long reports over pages instead of drawing past the page', async () => {
    const long = {
      ...FIXTURE,
      narrative: Array.from({ length: 40 }, (_, i) => ({
        heading: `Paragraph ${i + 1}`,
        text: 'word '.repeat(120),
      })),
    };
    const pdf = await buffer(executivePdf(long));
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThan(3);
    expect(pdfPlainText(pdf)).toContain('Paragraph 40');
  });

  it('maps text to what the standard fonts can draw', () => {
    expect(pdfText('Café – “ok” € ﬁ ＡＢ\u0007x 日本')).toBe('Café – “ok” € fi AB x ??');
  });
});

describe('summary prompt', () => {
  it('sends numbers, labels and quotes only: no names, events, ids, critical items or filters', () => {
    const payload = JSON.stringify(summaryPayload(FIXTURE));
    expect(payload).toContain('"value":12');
    expect(payload).toContain('vector search');
    expect(payload).toContain('latency doubled');
    for (const secret of ['Ari Levy', 'MongoDB.local', ID(1), ID(10), ID(20), 'Driver crash', 'pain_point'])
      expect(payload).not.toContain(secret);
  });

  it('bounds the answer to the word limit', () => {
    const long = `${'word '.repeat(150)}\n\n${'more '.repeat(150)}`;
    const bounded = boundedSummary(long);
    expect(bounded.replace('…', '').split(/\s+/).filter(Boolean)).toHaveLength(SUMMARY_MAX_WORDS);
    expect(bounded.endsWith('…')).toBe(true);
    expect(boundedSummary('  One.\r\n\r\n  Two  lines.  ')).toBe('One.\n\nTwo lines.');
  });
});
