import PDFDocument from 'pdfkit';
import { pdfText } from '../exports/exports.pdf.ts';
import { type Block, cellText, type PackageDoc } from './packages.doc.ts';

/**
 * The package as a PDF (pdfkit, A4, the standard fonts: nothing fetched or embedded). Tables are aligned rows
 * with equal column widths; the footer (package id, snapshot id, page n of m) is on every page. The document
 * dates are the package's own generation time, so the bytes depend only on the document.
 */
const MARGIN = 50;
const INK = '#1c2d38';
const MUTED = '#5c6c75';
const ACCENT = '#00684a';
const RULE = '#e8edeb';
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' } as const;

type Doc = PDFKit.PDFDocument;

const width = (doc: Doc) => doc.page.width - MARGIN * 2;
const bottom = (doc: Doc) => doc.page.height - MARGIN - 20;

function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function row(doc: Doc, cells: { text: string; x: number; width: number }[], bold: boolean, size = 9) {
  const font = bold ? FONT.bold : FONT.regular;
  const height =
    Math.max(
      ...cells.map((c) => doc.font(font).fontSize(size).heightOfString(pdfText(c.text), { width: c.width })),
    ) + 4;
  ensureRoom(doc, height);
  const y = doc.y;
  for (const c of cells)
    doc
      .font(font)
      .fontSize(size)
      .fillColor(INK)
      .text(pdfText(c.text), MARGIN + c.x, y, { width: c.width });
  doc
    .moveTo(MARGIN, y + height - 1)
    .lineTo(MARGIN + width(doc), y + height - 1)
    .strokeColor(RULE)
    .lineWidth(0.5)
    .stroke();
  doc.x = MARGIN;
  doc.y = y + height;
}

const PAD = 6;

/**
 * Column widths for a table: every column gets at least its longest word (so words never break mid-way, up to a
 * cap), and the rest of the width goes to the columns whose text would need more, in proportion to that need.
 */
function columnWidths(doc: Doc, columns: string[], rows: string[][], total: number): number[] {
  const measure = (text: string, bold: boolean) =>
    doc
      .font(bold ? FONT.bold : FONT.regular)
      .fontSize(9)
      .widthOfString(pdfText(text)) + PAD;
  const cells = columns.map((c, i) => [
    { text: c, bold: true },
    ...rows.map((r) => ({ text: r[i] ?? '', bold: false })),
  ]);
  const minimum = cells.map((col) =>
    Math.min(110, Math.max(...col.flatMap((c) => c.text.split(/\s+/).map((word) => measure(word, c.bold))))),
  );
  const natural = cells.map((col, i) =>
    Math.max(minimum[i] ?? 0, ...col.map((c) => Math.min(total, measure(c.text, c.bold)))),
  );
  const least = minimum.reduce((sum, x) => sum + x, 0);
  if (least >= total) return minimum.map((x) => (x * total) / least);
  const wanted = natural.reduce((sum, x) => sum + x, 0);
  if (wanted <= total) return natural.map((x) => x + (total - wanted) / natural.length);
  const need = natural.map((x, i) => x - (minimum[i] ?? 0));
  const needed = need.reduce((sum, x) => sum + x, 0);
  return minimum.map((x, i) => x + ((need[i] ?? 0) * (total - least)) / needed);
}

function paragraph(doc: Doc, value: string, font: string = FONT.regular, color = INK) {
  ensureRoom(doc, 16);
  doc
    .font(font)
    .fontSize(10)
    .fillColor(color)
    .text(pdfText(value), MARGIN, doc.y, { width: width(doc) });
  doc.moveDown(0.3);
}

function block(doc: Doc, b: Block) {
  switch (b.kind) {
    case 'text':
      paragraph(doc, b.text);
      return;
    case 'list':
      if (b.items.length === 0) paragraph(doc, b.empty ?? 'None.', FONT.italic, MUTED);
      for (const item of b.items) paragraph(doc, `•  ${item}`);
      return;
    case 'facts': {
      const w = width(doc);
      for (const [label, value] of b.rows)
        row(
          doc,
          [
            { text: label, x: 0, width: w * 0.34 - 6 },
            { text: cellText(value), x: w * 0.34, width: w * 0.66 },
          ],
          false,
        );
      doc.moveDown(0.4);
      return;
    }
    case 'table': {
      if (b.rows.length === 0) {
        paragraph(doc, b.empty ?? 'None.', FONT.italic, MUTED);
        return;
      }
      const w = width(doc);
      const widths = columnWidths(
        doc,
        b.columns,
        b.rows.map((r) => b.columns.map((_, i) => cellText(r[i] ?? null))),
        w,
      );
      const offsets = widths.map((_, i) => widths.slice(0, i).reduce((sum, x) => sum + x, 0));
      const cells = (values: string[]) =>
        values.map((text, i) => ({ text, x: offsets[i] ?? 0, width: (widths[i] ?? 0) - PAD }));
      row(doc, cells(b.columns), true);
      for (const r of b.rows) row(doc, cells(b.columns.map((_, i) => cellText(r[i] ?? null))), false);
      doc.moveDown(0.4);
      return;
    }
  }
}

export function renderPdf(doc: PackageDoc, generatedAt: Date): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: pdfText(doc.title),
      Author: 'Builder Insights',
      CreationDate: generatedAt,
      ModDate: generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf
    .font(FONT.bold)
    .fontSize(18)
    .fillColor(INK)
    .text(pdfText(doc.title), MARGIN, MARGIN, { width: width(pdf) });
  pdf.moveDown(0.2);
  pdf
    .font(FONT.regular)
    .fontSize(10)
    .fillColor(MUTED)
    .text(pdfText(doc.subtitle), { width: width(pdf) });
  for (const section of doc.sections) {
    ensureRoom(pdf, 60);
    pdf.moveDown(0.8);
    pdf.font(FONT.bold).fontSize(13).fillColor(ACCENT).text(pdfText(section.heading), MARGIN, pdf.y);
    pdf.moveDown(0.3);
    for (const b of section.blocks) block(pdf, b);
  }
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would start a new page: lift the margin for the footer line.
    pdf.page.margins.bottom = 0;
    const y = pdf.page.height - MARGIN;
    pdf
      .font(FONT.regular)
      .fontSize(7)
      .fillColor(MUTED)
      .text(pdfText(`${doc.footer} · page ${i + 1} of ${range.count}`), MARGIN, y, {
        width: width(pdf),
        lineBreak: false,
      });
  }
  pdf.end();
  return done;
}
