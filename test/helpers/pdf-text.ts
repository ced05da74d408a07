import { inflateSync } from 'node:zlib';

/**
 * The text drawn on a pdfkit page, cheaply: inflate each content stream, take the hex strings of every TJ
 * operator (pdfkit writes text with the standard fonts as WinAnsi hex), decode them. One line per TJ; enough
 * to check that a PDF says what it should, not a general PDF parser.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  const decoder = new TextDecoder('windows-1252');
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    const bytes = Buffer.from(match[1] ?? '', 'latin1');
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...(tj[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
      lines.push(decoder.decode(Buffer.from(hex, 'hex')));
    }
  }
  return lines.join('\n');
}

/** The text with line breaks and repeated spaces folded, for "contains this sentence" checks. */
export function pdfPlainText(pdf: Buffer): string {
  return pdfText(pdf).replace(/\s+/g, ' ');
}
