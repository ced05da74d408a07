import { escapeHtml } from '../../http/html.ts';
import { type Block, cellText, type PackageDoc } from './packages.doc.ts';

/**
 * A self-contained HTML file: no scripts, no external resources, styles in one <style> element. It is only
 * ever served as a download (Content-Disposition: attachment) with its own Content-Security-Policy
 * (`default-src 'none'; style-src 'unsafe-inline'`), so opened from disk or by mistake inline it can run nothing
 * and fetch nothing. Every value is escaped.
 */
export const PACKAGE_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const esc = escapeHtml;

const STYLE = `
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1c2d38; margin: 2rem auto;
  max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; color: #00684a; margin-top: 2rem; border-bottom: 1px solid #e8edeb; padding-bottom: 0.2rem; }
.subtitle { color: #5c6c75; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { text-align: left; border-bottom: 1px solid #e8edeb; padding: 0.3rem 0.5rem; vertical-align: top; }
th { background: #f9fbfa; }
td:first-child { white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.empty { color: #5c6c75; font-style: italic; }
footer { margin-top: 3rem; color: #5c6c75; font-size: 0.8rem; border-top: 1px solid #e8edeb; padding-top: 0.5rem; }
`.trim();

function block(b: Block): string {
  switch (b.kind) {
    case 'text':
      return `<p>${esc(b.text)}</p>`;
    case 'facts':
      return `<dl>${b.rows.map(([l, v]) => `<dt>${esc(l)}</dt><dd>${esc(cellText(v))}</dd>`).join('')}</dl>`;
    case 'list':
      return b.items.length === 0
        ? `<p class="empty">${esc(b.empty ?? 'None.')}</p>`
        : `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'table': {
      if (b.rows.length === 0) return `<p class="empty">${esc(b.empty ?? 'None.')}</p>`;
      const head = `<tr>${b.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr>`;
      const rows = b.rows
        .map((r) => `<tr>${b.columns.map((_, i) => `<td>${esc(cellText(r[i] ?? null))}</td>`).join('')}</tr>`)
        .join('\n');
      return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
    }
  }
}

export function renderHtml(doc: PackageDoc): string {
  const body = doc.sections
    .map((s) => `<section>\n<h2>${esc(s.heading)}</h2>\n${s.blocks.map(block).join('\n')}\n</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(PACKAGE_HTML_CSP)}">
<meta name="referrer" content="no-referrer">
<title>${esc(doc.title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<header>
<h1>${esc(doc.title)}</h1>
<p class="subtitle">${esc(doc.subtitle)}</p>
</header>
<main>
${body}
</main>
<footer>${esc(doc.footer)}</footer>
</body>
</html>
`;
}
