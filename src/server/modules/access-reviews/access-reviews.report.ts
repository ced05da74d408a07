import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { type CampaignRow, type ItemRow, snapshotOf } from './access-reviews.repo.ts';

/**
 * The report of a closed campaign, built deterministically from the campaign row and its items (whose names are
 * frozen in the item): the same database state always gives the same bytes. JSON is canonical (RFC 8785 via
 * `canonicalize`); CSV is RFC 4180 (CRLF, quoted where needed) with spreadsheet formula injection neutralised.
 * Their SHA-256 hashes go into the `access.review.closed` audit event; the exports serve exactly these bytes.
 */
export const REPORT_FORMAT = 'builder-insights/access-review-report@1';

export interface ReportItem {
  id: string;
  subject: { id: string; name: string; email: string };
  reviewer: { id: string; name: string };
  entitlement: {
    role: string;
    scopeKind: string;
    source: string;
    ruleId: string | null;
    exceptionId: string | null;
    expiresAt: string | null;
    reason: string;
  };
  decision: 'keep' | 'revoke' | 'undecided';
  comment: string | null;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  remediation: string | null;
}

export interface Report {
  format: typeof REPORT_FORMAT;
  campaign: {
    id: string;
    name: string;
    kind: string;
    personIds: string[] | null;
    dueAt: string;
    createdAt: string;
    createdById: string;
    closedAt: string | null;
    closedById: string | null;
  };
  summary: { items: number; kept: number; revoked: number; undecided: number };
  items: ReportItem[];
}

const SOURCE_ORDER: Record<string, number> = { idp_group: 0, org: 1, exception: 2 };

/** Code-unit order, never locale order: the same on every machine. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareItems(a: ReportItem, b: ReportItem): number {
  return (
    cmp(a.subject.name, b.subject.name) ||
    cmp(a.subject.id, b.subject.id) ||
    (SOURCE_ORDER[a.entitlement.source] ?? 9) - (SOURCE_ORDER[b.entitlement.source] ?? 9) ||
    cmp(a.entitlement.ruleId ?? '', b.entitlement.ruleId ?? '') ||
    cmp(a.entitlement.exceptionId ?? '', b.entitlement.exceptionId ?? '') ||
    cmp(a.id, b.id)
  );
}

function reportItem(row: ItemRow): ReportItem {
  const s = snapshotOf(row);
  return {
    id: row.id,
    subject: { id: row.subjectId, name: s.subjectName, email: s.subjectEmail },
    reviewer: { id: row.reviewerId, name: s.reviewerName },
    entitlement: {
      role: s.role,
      scopeKind: s.scopeKind,
      source: s.source,
      ruleId: s.ruleId,
      exceptionId: s.exceptionId,
      expiresAt: s.expiresAt,
      reason: s.reason,
    },
    decision: row.decision ?? 'undecided',
    comment: row.comment,
    decidedBy: row.decidedBy ? { id: row.decidedBy, name: s.decidedByName ?? '' } : null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    remediation: row.remediation,
  };
}

export function buildReport(campaign: CampaignRow, rows: readonly ItemRow[]): Report {
  const items = rows.map(reportItem).sort(compareItems);
  const count = (d: ReportItem['decision']) => items.filter((i) => i.decision === d).length;
  return {
    format: REPORT_FORMAT,
    campaign: {
      id: campaign.id,
      name: campaign.name,
      kind: campaign.kind,
      personIds: campaign.selection ? [...campaign.selection].sort(cmp) : null,
      dueAt: campaign.dueAt.toISOString(),
      createdAt: campaign.createdAt.toISOString(),
      createdById: campaign.createdBy,
      closedAt: campaign.closedAt?.toISOString() ?? null,
      closedById: campaign.closedBy,
    },
    summary: {
      items: items.length,
      kept: count('keep'),
      revoked: count('revoke'),
      undecided: count('undecided'),
    },
    items,
  };
}

export function reportJson(report: Report): Buffer {
  const text = canonicalize(report);
  if (text === undefined) throw new Error('report could not be canonicalized');
  return Buffer.from(text, 'utf8');
}

/**
 * A cell a spreadsheet would run as a formula gets a leading single quote: one starting with = + - @ or a tab or
 * carriage return, also after leading spaces (some spreadsheets trim them before parsing).
 */
const FORMULA_START = /^[ ]*[=+\-@\t\r]/;

export function csvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const CSV_COLUMNS = [
  'campaign_id',
  'campaign_name',
  'item_id',
  'subject_id',
  'subject_name',
  'subject_email',
  'reviewer_id',
  'reviewer_name',
  'role',
  'scope_kind',
  'source',
  'rule_id',
  'exception_id',
  'reason',
  'decision',
  'comment',
  'decided_by_id',
  'decided_by_name',
  'decided_at',
  'remediation',
] as const;

export function reportCsv(report: Report): Buffer {
  const lines = [CSV_COLUMNS.join(',')];
  for (const i of report.items) {
    const cells = [
      report.campaign.id,
      report.campaign.name,
      i.id,
      i.subject.id,
      i.subject.name,
      i.subject.email,
      i.reviewer.id,
      i.reviewer.name,
      i.entitlement.role,
      i.entitlement.scopeKind,
      i.entitlement.source,
      i.entitlement.ruleId,
      i.entitlement.exceptionId,
      i.entitlement.reason,
      i.decision,
      i.comment,
      i.decidedBy?.id ?? null,
      i.decidedBy?.name ?? null,
      i.decidedAt,
      i.remediation,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface RenderedReport {
  report: Report;
  json: Buffer;
  csv: Buffer;
  jsonSha256: string;
  csvSha256: string;
}

export function renderReport(campaign: CampaignRow, rows: readonly ItemRow[]): RenderedReport {
  const report = buildReport(campaign, rows);
  const json = reportJson(report);
  const csv = reportCsv(report);
  return { report, json, csv, jsonSha256: sha256Hex(json), csvSha256: sha256Hex(csv) };
}
