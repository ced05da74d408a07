import { type Block, type Cell, cellText, type PackageDoc } from './packages.doc.ts';

/**
 * Markdown for pasting into a document or a chat: headings, bold labels, GitHub-flavoured tables. Cell text is
 * escaped (pipes, line breaks, leading markup) so a value can never break the table or inject a link.
 */
function md(value: string): string {
  return value
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*_{}[\]<>|#])/g, '\\$1')
    .trim();
}

const cell = (value: Cell) => md(cellText(value));

function block(b: Block): string {
  switch (b.kind) {
    case 'text':
      return md(b.text);
    case 'facts':
      return b.rows.map(([label, value]) => `- **${md(label)}:** ${cell(value)}`).join('\n');
    case 'list':
      return b.items.length === 0
        ? `_${md(b.empty ?? 'None.')}_`
        : b.items.map((i) => `- ${md(i)}`).join('\n');
    case 'table': {
      if (b.rows.length === 0) return `_${md(b.empty ?? 'None.')}_`;
      const head = `| ${b.columns.map(md).join(' | ')} |`;
      const rule = `| ${b.columns.map(() => '---').join(' | ')} |`;
      const rows = b.rows.map((r) => `| ${b.columns.map((_, i) => cell(r[i] ?? null)).join(' | ')} |`);
      return [head, rule, ...rows].join('\n');
    }
  }
}

export function renderMarkdown(doc: PackageDoc): string {
  const parts = [`# ${md(doc.title)}`, `_${md(doc.subtitle)}_`];
  for (const section of doc.sections) {
    parts.push(`## ${md(section.heading)}`);
    for (const b of section.blocks) parts.push(block(b));
  }
  parts.push('---', `_${md(doc.footer)}_`);
  return `${parts.join('\n\n')}\n`;
}
