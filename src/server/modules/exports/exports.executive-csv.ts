import type { ExecutiveReport } from '../../../contract/api/reporting.ts';
import type { CsvCell } from './exports.csv.ts';

/**
 * The executive report as CSV: one row per fact, in the report's order. `section` says what the row is;
 * `key` is the stable id (metric key, taxonomy id, theme key, insight or event id); `value` and `previous`
 * are the period's and the previous period's numbers where the report has both; `change` is the ratio
 * ((value − previous) / previous; empty when previous is 0). Text rows (narrative, quotes) put their text in
 * `value`.
 */
export const EXECUTIVE_CSV_COLUMNS = ['section', 'key', 'label', 'value', 'previous', 'change'] as const;

export type ExecutiveCsvRow = Record<(typeof EXECUTIVE_CSV_COLUMNS)[number], CsvCell>;

const row = (
  section: string,
  key: string,
  label: string | null,
  value: CsvCell,
  previous: CsvCell = null,
  change: CsvCell = null,
): ExecutiveCsvRow => ({ section, key, label, value, previous, change });

/** The quoted passage of a citation, as plain text. */
export const quoteText = (segments: { text: string }[]) => segments.map((s) => s.text).join('');

export function executiveCsvRows(report: ExecutiveReport): ExecutiveCsvRow[] {
  const rows: ExecutiveCsvRow[] = [
    row('report', 'title', 'Title', report.title),
    row('report', 'scope', 'Scope', report.scopeLabel),
    row('report', 'period', report.period.label, `${report.period.from} to ${report.period.to}`),
    row(
      'report',
      'previous_period',
      'Compared with',
      `${report.period.previousFrom} to ${report.period.previousTo}`,
    ),
    row('report', 'generated_at', 'Generated', report.generatedAt),
    row('report', 'taxonomy_version', 'Taxonomy version', report.taxonomyVersion),
  ];
  for (const [name, value] of Object.entries(report.filters)) rows.push(row('filter', name, name, value));
  for (const card of report.cards)
    rows.push(row('metric', card.key, card.label, card.value, card.previous, card.change));
  report.narrative.forEach((paragraph, index) => {
    rows.push(row('narrative', String(index + 1), paragraph.heading, paragraph.text));
  });
  for (const theme of report.themes) {
    rows.push(row('theme', theme.key, theme.label, theme.current, theme.previous, theme.growth));
    for (const citation of theme.citations) {
      rows.push(
        row(
          'theme_citation',
          citation.insightId,
          `${theme.label} — ${citation.author.name}${citation.event ? `, ${citation.event.name}` : ''}`,
          quoteText(citation.quote),
        ),
      );
    }
  }
  for (const item of report.critical)
    rows.push(row('critical', item.id, item.title ?? item.excerpt.slice(0, 80), item.excerpt));
  const distributions = [
    ['type', report.distributions.byType],
    ['sentiment', report.distributions.bySentiment],
    ['priority', report.distributions.byPriority],
    ['product_area', report.distributions.byProductArea],
  ] as const;
  for (const [name, counts] of distributions)
    for (const c of counts) rows.push(row(`by_${name}`, c.key, c.label, c.count));
  for (const event of report.topEvents) rows.push(row('top_event', event.id, event.name, event.count));
  return rows;
}
