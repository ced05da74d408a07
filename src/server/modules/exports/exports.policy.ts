import type { Actor } from '../identity/actor.ts';
import { authorizeInsight } from '../insights/insights.policy.ts';

export const EXPORT_KINDS = ['insights_csv', 'executive_csv', 'executive_pdf'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/**
 * Who may take insights or a report out as a file: whoever may read them on screen — viewers, advocates,
 * managers and admins — each within their own read scope (applied inside every export query), so a file never
 * holds more than the same person's list or dashboard shows. Every export is audited (`report.exported`).
 */
export function authorizeExport(actor: Actor, _kind: ExportKind): void {
  authorizeInsight(actor, 'read');
}
