import type { Insight } from '../../../contract/api/insights.ts';
import type { CsvCell } from './exports.csv.ts';

/** The insights CSV, one row per insight; docs/reporting.md defines each column. */
export const INSIGHT_CSV_COLUMNS = [
  'id',
  'captured_at',
  'type',
  'product_areas',
  'sentiment',
  'priority',
  'title',
  'text',
  'tags',
  'author',
  'team',
  'event',
  'session',
  'source',
  'follow_up_status',
  'follow_up_owner',
  'follow_up_issue_url',
  'developer_role',
  'developer_company',
] as const;

export type InsightCsvColumn = (typeof INSIGHT_CSV_COLUMNS)[number];

/** Several values in one cell (product areas, tags). */
export const LIST_SEPARATOR = '; ';

/**
 * One insight as a CSV record. Taxonomy values are their stable ids (what the API's filters take); people,
 * events and sessions by name; `team` is the author's team; empty cells for what is not set.
 */
export function insightCsvRecord(insight: Insight, team: string | null): Record<InsightCsvColumn, CsvCell> {
  const followUp = insight.followUpState;
  return {
    id: insight.id,
    captured_at: insight.capturedAt,
    type: insight.type,
    product_areas: insight.productAreas.join(LIST_SEPARATOR),
    sentiment: insight.sentiment,
    priority: insight.priority,
    title: insight.title,
    text: insight.text,
    tags: insight.tags.join(LIST_SEPARATOR),
    author: insight.author.name,
    team,
    event: insight.event?.name ?? null,
    session: insight.session?.title ?? null,
    source: insight.source,
    follow_up_status: followUp?.status ?? null,
    follow_up_owner: followUp?.owner?.name ?? null,
    follow_up_issue_url: followUp?.issueUrl ?? null,
    developer_role: insight.developer?.role ?? null,
    developer_company: insight.developer?.company ?? null,
  };
}
