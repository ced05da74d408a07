import { describe, expect, it } from 'vitest';
import { ReportQuery } from '../../src/contract/api/reporting.ts';
import { ROLES } from '../../src/contract/roles.ts';
import {
  filterFor,
  parseReportSearch,
  previewPeriod,
  type ReportState,
  reportParams,
  reportSearch,
  withDay,
  withFilter,
  withoutFilters,
  withPeriod,
} from '../../src/web/admin/features/reports/reportQuery.ts';
import { mayOpen, pageInfo, pageOf, seesDashboard } from '../../src/web/admin/nav.ts';

const EVENT = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('report state in the URL', () => {
  it('reads the period, its days and every filter; drops unknown and blank parameters', () => {
    const state = parseReportSearch(
      `?period=month&at=2026-11-03&type=bug_report&eventId=${EVENT}&team=amer&q=%22vector+search%22&sort=newest&cursor=x&priority=`,
    );
    expect(state).toEqual({
      period: 'month',
      at: '2026-11-03',
      filter: { type: 'bug_report', eventId: EVENT, team: 'amer', q: '"vector search"' },
    });
  });

  it("falls back to the page's default period for a missing or unknown one", () => {
    expect(parseReportSearch('').period).toBe('last30');
    expect(parseReportSearch('?period=fortnight').period).toBe('last30');
    expect(parseReportSearch('?period=decade', 'month').period).toBe('month');
  });

  it('writes the state back to the same query string (the default period left out)', () => {
    for (const search of [
      '',
      '?period=last7',
      '?period=custom&from=2026-10-01&to=2026-10-15&sentiment=negative',
    ]) {
      expect(reportSearch(parseReportSearch(search))).toBe(search);
    }
    // Links to another page always name the period: its default may differ.
    expect(reportSearch(parseReportSearch(''), null)).toBe('?period=last30');
    expect(reportSearch(parseReportSearch('?period=month', 'month'), 'month')).toBe('');
  });

  it('keeps days that do not belong to the period out of the URL and the API (the API answers them with 400)', () => {
    const stray = parseReportSearch('?period=last90&from=2026-01-01&to=2026-02-01&at=2026-01-10');
    expect(reportSearch(stray)).toBe('?period=last90');
    expect(reportParams(stray)).toEqual({ period: 'last90' });
    const calendar = parseReportSearch('?period=quarter&at=2026-08-10&from=2026-01-01');
    expect(reportParams(calendar)).toEqual({ period: 'quarter', at: '2026-08-10' });
  });

  it('gives the API parameters the strict ReportQuery schema accepts', () => {
    const state = parseReportSearch(
      `?period=custom&from=2026-10-01&to=2026-10-31&type=use_case&productArea=atlas_search&source=voice&eventId=${EVENT}&tags=a,b&followUp=true`,
    );
    const parsed = ReportQuery.safeParse(reportParams(state));
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({
      period: 'custom',
      from: '2026-10-01',
      tags: ['a', 'b'],
      followUp: true,
    });
    expect(ReportQuery.safeParse(reportParams(parseReportSearch(''))).success).toBe(true);
  });
});

describe('period picker → query', () => {
  const base: ReportState = { period: 'last30', filter: { type: 'praise' } };

  it('switching to custom starts from the days on screen; switching away drops them', () => {
    const custom = withPeriod(base, 'custom', { from: '2026-10-23', to: '2026-11-21' });
    expect(custom).toEqual({
      period: 'custom',
      from: '2026-10-23',
      to: '2026-11-21',
      filter: { type: 'praise' },
    });
    expect(reportParams(custom)).toEqual({
      period: 'custom',
      from: '2026-10-23',
      to: '2026-11-21',
      type: 'praise',
    });
    const week = withPeriod(custom, 'week');
    expect(week).toEqual({ period: 'week', filter: { type: 'praise' } });
    expect(withPeriod(withDay(week, 'at', '2026-11-04'), 'month')).toMatchObject({
      period: 'month',
      at: '2026-11-04',
    });
  });

  it('previews the days a period makes (the server answers with the same)', () => {
    const today = '2026-11-21';
    expect(previewPeriod({ period: 'last7', filter: {} }, today).period).toMatchObject({
      from: '2026-11-15',
      to: '2026-11-21',
      previousFrom: '2026-11-08',
      previousTo: '2026-11-14',
    });
    expect(previewPeriod({ period: 'quarter', at: '2026-08-10', filter: {} }, today).period).toMatchObject({
      from: '2026-07-01',
      to: '2026-09-30',
      label: 'Q3 2026',
    });
    expect(previewPeriod({ period: 'week', filter: {} }, today).period).toMatchObject({
      from: '2026-11-16',
      to: '2026-11-22',
    });
  });

  it('names the field when the days cannot make a period', () => {
    const custom = (from?: string, to?: string): ReportState => ({ period: 'custom', from, to, filter: {} });
    expect(previewPeriod(custom(undefined, '2026-01-01'), '2026-11-21').error?.field).toBe('from');
    expect(previewPeriod(custom('2026-02-01', '2026-01-01'), '2026-11-21').error).toEqual({
      field: 'to',
      message: 'must not be before from',
    });
    expect(previewPeriod(custom('2025-01-01', '2026-06-01'), '2026-11-21').error?.field).toBe('to');
    expect(previewPeriod({ period: 'month', at: '2026-13', filter: {} }, '2026-11-21').error?.field).toBe(
      'at',
    );
  });

  it('sets and clears filters without touching the period', () => {
    const state = withFilter(withFilter(base, 'team', '  emea '), 'type', undefined);
    expect(state).toEqual({ period: 'last30', filter: { team: 'emea' } });
    expect(withFilter(state, 'team', '')).toEqual({ period: 'last30', filter: {} });
    expect(withoutFilters({ ...base, period: 'month', at: '2026-11-01' })).toEqual({
      period: 'month',
      at: '2026-11-01',
      filter: {},
    });
  });

  it('turns the view into the insight filter over the resolved days, the clicked key on top', () => {
    const state = parseReportSearch('?period=month&at=2026-11-03&type=bug_report&team=amer');
    expect(filterFor(state, { from: '2026-11-01', to: '2026-11-30' }, { type: 'praise' })).toEqual({
      type: 'praise',
      team: 'amer',
      from: '2026-11-01',
      to: '2026-11-30',
    });
  });
});

describe('navigation', () => {
  it('offers the reporting pages to exactly the roles that see the dashboard', () => {
    for (const id of ['leaderboard', 'themes', 'reports'] as const) {
      const page = pageInfo(id);
      expect(pageOf(`${page.path}/`)?.id).toBe(id);
      const allowed = ROLES.filter((role) => mayOpen(page, role));
      expect(allowed).toEqual(ROLES.filter((role) => seesDashboard(role)));
      expect(allowed).toEqual(expect.arrayContaining(['viewer', 'manager', 'admin']));
      expect(allowed).not.toContain('advocate');
    }
  });
});
