import PDFDocument from 'pdfkit';
import type { CountRow } from '../../../contract/api/common.ts';
import type { ExecutiveReport, MetricCard } from '../../../contract/api/reporting.ts';
import { quoteText } from './exports.executive-csv.ts';

/**
 * The executive report as a PDF (pdfkit, A4, the PDF standard fonts built into every reader: nothing is
 * fetched or embedded). Sections in the report's order: title, scope and period, metric cards with their
 * change, narrative, themes with quoted citations, critical items, distributions as bar tables, top events.
 */

const MARGIN = 50;
const INK = '#1c2d38';
const MUTED = '#5c6c75';
const ACCENT = '#00684a';
const BAR = '#71f6ba';
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' } as const;

/** Characters of the standard fonts' encoding (WinAnsi) beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the standard fonts can draw: compatibility forms folded (NFKC: full-width letters, ligatures), other
 * characters outside their encoding (CJK, emoji…) shown as "?", control characters as spaces. The CSV export
 * keeps every character.
 */
export function pdfText(value: string): string {
  let out = '';
  for (const ch of value.normalize('NFKC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += ch;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else if (code <= 0xff || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}

const pct = (ratio: number | null) =>
  ratio === null ? 'new' : `${ratio > 0 ? '+' : ratio < 0 ? '-' : '±'}${Math.round(Math.abs(ratio) * 100)} %`;
const day = (iso: string) => iso.slice(0, 10);

type Doc = PDFKit.PDFDocument;

function contentWidth(doc: Doc) {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** A new page when less than `height` points are left on this one. */
function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function heading(doc: Doc, text: string) {
  ensureRoom(doc, 60);
  doc.moveDown(0.8);
  doc.font(FONT.bold).fontSize(13).fillColor(ACCENT).text(pdfText(text), MARGIN, doc.y);
  doc.moveDown(0.3);
  doc.fillColor(INK);
}

function paragraph(doc: Doc, text: string, options: { font?: string; size?: number; color?: string } = {}) {
  doc
    .font(options.font ?? FONT.regular)
    .fontSize(options.size ?? 10)
    .fillColor(options.color ?? INK)
    .text(pdfText(text), MARGIN, doc.y, { width: contentWidth(doc) });
}

/** One table row of fixed columns (x offsets from the margin, widths); returns the row's height. */
function tableRow(
  doc: Doc,
  cells: { text: string; x: number; width: number; align?: 'left' | 'right'; bold?: boolean }[],
  size = 10,
) {
  const heights = cells.map((c) =>
    doc
      .font(c.bold ? FONT.bold : FONT.regular)
      .fontSize(size)
      .heightOfString(pdfText(c.text), { width: c.width }),
  );
  const height = Math.max(...heights) + 4;
  ensureRoom(doc, height);
  const y = doc.y;
  for (const c of cells) {
    doc
      .font(c.bold ? FONT.bold : FONT.regular)
      .fontSize(size)
      .fillColor(INK)
      .text(pdfText(c.text), MARGIN + c.x, y, { width: c.width, align: c.align ?? 'left' });
  }
  doc.x = MARGIN;
  doc.y = y + height;
  return height;
}

function metricTable(doc: Doc, cards: MetricCard[]) {
  const w = contentWidth(doc);
  const cols = { label: 0, value: w * 0.5, previous: w * 0.66, change: w * 0.82 };
  const cw = w * 0.16;
  tableRow(doc, [
    { text: 'Metric', x: cols.label, width: w * 0.5, bold: true },
    { text: 'This period', x: cols.value, width: cw, align: 'right', bold: true },
    { text: 'Previous', x: cols.previous, width: cw, align: 'right', bold: true },
    { text: 'Change', x: cols.change, width: cw, align: 'right', bold: true },
  ]);
  for (const card of cards) {
    tableRow(doc, [
      { text: card.label, x: cols.label, width: w * 0.5 },
      { text: String(card.value), x: cols.value, width: cw, align: 'right' },
      { text: String(card.previous), x: cols.previous, width: cw, align: 'right' },
      {
        text: card.previous === 0 && card.value === 0 ? '—' : pct(card.change),
        x: cols.change,
        width: cw,
        align: 'right',
      },
    ]);
  }
}

/** A distribution as label, count and a bar proportional to the largest count. */
function barTable(doc: Doc, title: string, rows: CountRow[]) {
  ensureRoom(doc, 40);
  doc.moveDown(0.4);
  doc.font(FONT.bold).fontSize(10).fillColor(INK).text(pdfText(title), MARGIN, doc.y);
  doc.moveDown(0.2);
  const w = contentWidth(doc);
  const max = Math.max(1, ...rows.map((r) => r.count));
  for (const r of rows) {
    ensureRoom(doc, 14);
    const y = doc.y;
    doc
      .font(FONT.regular)
      .fontSize(9)
      .fillColor(INK)
      .text(pdfText(r.label), MARGIN, y, { width: w * 0.3, lineBreak: false, ellipsis: true });
    doc.text(String(r.count), MARGIN + w * 0.3, y, { width: w * 0.1, align: 'right', lineBreak: false });
    const barWidth = (w * 0.55 * r.count) / max;
    if (barWidth > 0)
      doc
        .rect(MARGIN + w * 0.43, y + 1, barWidth, 8)
        .fill(BAR)
        .fillColor(INK);
    doc.x = MARGIN;
    doc.y = y + 13;
  }
}

function themes(doc: Doc, report: ExecutiveReport) {
  heading(doc, 'Emerging themes');
  if (report.themes.length === 0) {
    paragraph(doc, 'No theme grew enough in this period to be listed.', { color: MUTED });
    return;
  }
  for (const theme of report.themes) {
    ensureRoom(doc, 50);
    doc.moveDown(0.3);
    paragraph(
      doc,
      `${theme.label} — ${theme.current} insights (previous period ${theme.previous}, ${pct(theme.growth)})`,
      { font: FONT.bold },
    );
    paragraph(doc, theme.explanation, { size: 9, color: MUTED });
    for (const c of theme.citations) {
      ensureRoom(doc, 30);
      doc.moveDown(0.2);
      doc
        .font(FONT.italic)
        .fontSize(9.5)
        .fillColor(INK)
        .text(pdfText(`“${quoteText(c.quote).trim()}”`), MARGIN + 14, doc.y, {
          width: contentWidth(doc) - 14,
        });
      doc
        .font(FONT.regular)
        .fontSize(8.5)
        .fillColor(MUTED)
        .text(
          pdfText(`— ${c.author.name}${c.event ? `, ${c.event.name}` : ''}, ${day(c.capturedAt)}`),
          MARGIN + 14,
          doc.y,
          { width: contentWidth(doc) - 14 },
        );
    }
  }
}

function critical(doc: Doc, report: ExecutiveReport) {
  heading(doc, 'Critical items');
  if (report.critical.length === 0) {
    paragraph(doc, 'No critical-priority insights in this period.', { color: MUTED });
    return;
  }
  for (const item of report.critical) {
    ensureRoom(doc, 40);
    doc.moveDown(0.2);
    if (item.title) paragraph(doc, item.title, { font: FONT.bold });
    paragraph(doc, item.excerpt, { size: 9.5 });
    paragraph(
      doc,
      `${item.author.name}${item.event ? `, ${item.event.name}` : ''}, ${day(item.capturedAt)} · ${item.type}`,
      { size: 8.5, color: MUTED },
    );
  }
}

/** Draws the whole report into `doc`. */
function draw(doc: Doc, report: ExecutiveReport) {
  doc
    .font(FONT.bold)
    .fontSize(18)
    .fillColor(INK)
    .text(pdfText(report.title), { width: contentWidth(doc) });
  doc.moveDown(0.3);
  const p = report.period;
  paragraph(doc, `Scope: ${report.scopeLabel}`, { color: MUTED });
  paragraph(
    doc,
    `Period: ${p.label} (${p.from} to ${p.to}), compared with ${p.previousFrom} to ${p.previousTo}`,
    {
      color: MUTED,
    },
  );
  const filters = Object.entries(report.filters).filter(([name]) => !['period', 'at'].includes(name));
  if (filters.length > 0)
    paragraph(doc, `Filters: ${filters.map(([k, v]) => `${k} = ${v}`).join('; ')}`, { color: MUTED });

  heading(doc, 'Key metrics');
  metricTable(doc, report.cards);

  heading(doc, 'Summary');
  for (const n of report.narrative) {
    ensureRoom(doc, 40);
    paragraph(doc, n.heading, { font: FONT.bold });
    paragraph(doc, n.text);
    doc.moveDown(0.4);
  }

  themes(doc, report);
  critical(doc, report);

  heading(doc, 'Distributions');
  barTable(doc, 'By type', report.distributions.byType);
  barTable(doc, 'By sentiment', report.distributions.bySentiment);
  barTable(doc, 'By priority', report.distributions.byPriority);
  barTable(
    doc,
    'By product area (an insight with several areas counts in each)',
    report.distributions.byProductArea,
  );

  if (report.topEvents.length > 0) {
    heading(doc, 'Top events');
    barTable(
      doc,
      'Insights per event',
      report.topEvents.map((e) => ({ key: e.id, label: e.name, count: e.count })),
    );
  }

  doc.moveDown(1);
  paragraph(
    doc,
    `Generated ${report.generatedAt} · taxonomy ${report.taxonomyVersion} · every number is defined in the ` +
      'Builder Insights report definitions; merged duplicates count once.',
    { size: 8, color: MUTED },
  );
}

/**
 * The report as a PDF stream: pipe or send the returned document; it ends by itself. `compress: false`
 * (tests) leaves page content readable.
 */
export function executivePdf(report: ExecutiveReport, options: { compress?: boolean } = {}): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    info: {
      Title: pdfText(report.title),
      Subject: pdfText(`${report.scopeLabel} — ${report.period.label}`),
      Creator: 'Builder Insights',
      Producer: 'Builder Insights',
      CreationDate: new Date(report.generatedAt),
    },
    displayTitle: true,
  });
  draw(doc, report);
  doc.end();
  return doc;
}
