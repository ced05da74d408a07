import canonicalize from 'canonicalize';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CampaignRow, ItemRow } from '../../src/server/modules/access-reviews/access-reviews.repo.ts';
import {
  CSV_COLUMNS,
  csvCell,
  renderReport,
  sha256Hex,
} from '../../src/server/modules/access-reviews/access-reviews.report.ts';

const campaign: CampaignRow = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Q3, "privileged"',
  kind: 'custom',
  selection: ['00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000a1'],
  status: 'closed',
  dueAt: new Date('2026-10-01T00:00:00Z'),
  createdBy: '00000000-0000-4000-8000-0000000000c3',
  createdAt: new Date('2026-09-01T00:00:00Z'),
  closedAt: new Date('2026-09-20T12:00:00.123Z'),
  closedBy: '00000000-0000-4000-8000-0000000000c3',
  reportSha256: null,
};

function item(id: string, subjectId: string, subjectName: string, over: Partial<ItemRow> = {}): ItemRow {
  return {
    id,
    campaignId: campaign.id,
    subjectId,
    reviewerId: '00000000-0000-4000-8000-0000000000c3',
    entitlement: {
      role: 'advocate',
      scopeKind: 'team',
      source: 'idp_group',
      ruleId: 'R3',
      exceptionId: null,
      expiresAt: null,
      reason: 'Advocate (team) because rule R3 matched: in group builder-relations',
      ruleSetVersion: 1,
      groups: ['builder-relations'],
      facts: ['in group builder-relations'],
      subjectName,
      subjectEmail: `${subjectName.toLowerCase().replaceAll(/[^a-z]/g, '')}@example.com`,
      reviewerName: 'Priya Raman',
      decidedByName: over.decidedBy ? 'Priya Raman' : null,
    },
    source: 'idp_group',
    decision: null,
    comment: null,
    decidedBy: null,
    decidedAt: null,
    remediation: null,
    lastRemindedAt: null,
    ...over,
  };
}

const rows: ItemRow[] = [
  item('00000000-0000-4000-8000-000000000013', '00000000-0000-4000-8000-0000000000b2', 'Zoë Ångström', {
    decision: 'keep',
    comment: 'line one\nline "two", with comma',
    decidedBy: '00000000-0000-4000-8000-0000000000c3',
    decidedAt: new Date('2026-09-10T09:00:00Z'),
    remediation: 'none',
  }),
  item('00000000-0000-4000-8000-000000000012', '00000000-0000-4000-8000-0000000000a1', '=cmd|calc', {
    decision: 'revoke',
    comment: '-1+1',
    decidedBy: '00000000-0000-4000-8000-0000000000c3',
    decidedAt: new Date('2026-09-11T09:00:00Z'),
    remediation: 'removal_requested',
  }),
  item('00000000-0000-4000-8000-000000000011', '00000000-0000-4000-8000-0000000000a1', '=cmd|calc'),
];

describe('access review report', () => {
  it('neutralises spreadsheet formulas and quotes CSV cells per RFC 4180', () => {
    for (const risky of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '  =1'])
      expect(csvCell(risky).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('Maya Patel')).toBe('Maya Patel');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('is the same bytes whatever order the rows come in, sorted by subject, source and rule', () => {
    const a = renderReport(campaign, rows);
    const b = renderReport(campaign, [...rows].reverse());
    expect(a.json.equals(b.json)).toBe(true);
    expect(a.csv.equals(b.csv)).toBe(true);
    expect(a.jsonSha256).toBe(sha256Hex(a.json));
    expect(a.jsonSha256).toMatch(/^[0-9a-f]{64}$/);
    const text = a.json.toString('utf8');
    expect(canonicalize(JSON.parse(text))).toBe(text);
    expect(a.report.items.map((i) => i.id)).toEqual([
      '00000000-0000-4000-8000-000000000011',
      '00000000-0000-4000-8000-000000000012',
      '00000000-0000-4000-8000-000000000013',
    ]);
    expect(a.report.summary).toEqual({ items: 3, kept: 1, revoked: 1, undecided: 1 });
    expect(a.report.campaign.personIds).toEqual([
      '00000000-0000-4000-8000-0000000000a1',
      '00000000-0000-4000-8000-0000000000b2',
    ]);
    expect(a.report.campaign.closedAt).toBe('2026-09-20T12:00:00.123Z');
  });

  it('writes one CSV record per item with every column, CRLF line ends, no live formula', () => {
    const { csv } = renderReport(campaign, rows);
    const text = csv.toString('utf8');
    expect(text.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3);
    expect(Object.keys(records[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(records[0]).toMatchObject({ subject_name: "'=cmd|calc", decision: 'undecided', comment: '' });
    expect(records[1]).toMatchObject({ comment: "'-1+1", remediation: 'removal_requested' });
    expect(records[2]).toMatchObject({
      campaign_name: 'Q3, "privileged"',
      subject_name: 'Zoë Ångström',
      comment: 'line one\nline "two", with comma',
      decided_at: '2026-09-10T09:00:00.000Z',
    });
  });
});
