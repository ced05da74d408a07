import type { FastifyBaseLogger } from 'fastify';
import type { ExecutiveReport, ReportQuery } from '../../../contract/api/reporting.ts';
import { requireActor } from '../../plugins/types.ts';
import type { RequestContext } from '../identity/actor.ts';
import { executiveReport } from '../reporting/executive.service.ts';
import { csvStream } from './exports.csv.ts';
import { EXECUTIVE_CSV_COLUMNS, executiveCsvRows } from './exports.executive-csv.ts';
import { authorizeExport } from './exports.policy.ts';
import { type ExportDeps, type FileExport, recordExport } from './exports.service.ts';

export interface ExecutiveExportDeps extends ExportDeps {
  /** Passed on to the report (it says whether a generated summary can be asked for). */
  summaryAvailable: boolean;
}

/** How many insights a report covers: its `insights` card (the audit's `rows` for a report export). */
export function insightsCovered(report: ExecutiveReport): number {
  return report.cards.find((c) => c.key === 'insights')?.value ?? 0;
}

/**
 * GET /api/v1/reports/executive.pdf and .csv: the executive report (numbers from executiveReport, never
 * recomputed here) rendered as a file. Recorded (`report.exported`, rows = insights the report covers) in its
 * own transaction before the first byte leaves.
 */
export async function exportExecutive(
  deps: ExecutiveExportDeps,
  ctx: RequestContext,
  query: ReportQuery,
  format: 'pdf' | 'csv',
  log: FastifyBaseLogger,
): Promise<FileExport> {
  const actor = requireActor(ctx);
  const kind = format === 'pdf' ? 'executive_pdf' : 'executive_csv';
  authorizeExport(actor, kind);
  // pdfkit and its font data load with the first PDF export, not at start-up (cold start and memory,
  // docs/performance.md), and before the export is recorded, so a recorded export always has its renderer.
  const pdf = format === 'pdf' ? await import('./exports.pdf.ts') : null;
  const report = await executiveReport(deps, ctx, query);
  await recordExport(deps, ctx, actor, { kind, filters: query, rows: insightsCovered(report) });
  const filename = `builder-insights-executive-${report.period.from}-${report.period.to}.${format}`;
  log.info({ export: { kind, insights: insightsCovered(report) } }, 'export');
  if (pdf) return { filename, contentType: 'application/pdf', stream: pdf.executivePdf(report) };

  const out = csvStream(EXECUTIVE_CSV_COLUMNS);
  // The report is small (top lists are bounded), so its rows are written at once; the stream carries them.
  for (const row of executiveCsvRows(report)) out.write(row);
  out.end();
  return { filename, contentType: 'text/csv; charset=utf-8', stream: out };
}
