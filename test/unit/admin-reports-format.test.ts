import { describe, expect, it } from 'vitest';
import { IMPACT_WEIGHTS, impactScore } from '../../src/contract/reporting.ts';
import {
  changeSentiment,
  dayRange,
  formatChange,
  formatScore,
  formulaInWords,
  periodSentence,
} from '../../src/web/admin/features/reports/format.ts';

describe('period-over-period change', () => {
  it('shows the direction and the percentage', () => {
    expect(formatChange(10, 8, 0.25)).toMatchObject({ arrow: '▲', text: '+25%', tone: 'up' });
    expect(formatChange(3, 5, -0.4)).toMatchObject({ arrow: '▼', text: '−40%', tone: 'down' });
    expect(formatChange(1001, 1000, 0.001).text).toBe('+0.1%');
    expect(formatChange(30, 10, 2).text).toBe('+200%');
    expect(formatChange(10, 8, 0.25).spoken).toBe('up 25% from 8 in the previous period');
  });

  it('says "new" when the previous period had none, and "–" when neither had any', () => {
    expect(formatChange(4, 0, null)).toMatchObject({ arrow: '', text: 'new', tone: 'new' });
    expect(formatChange(0, 0, null)).toMatchObject({ arrow: '', text: '–', tone: 'none' });
  });

  it('says "no change" for equal periods', () => {
    expect(formatChange(7, 7, 0)).toMatchObject({ arrow: '', text: 'no change', tone: 'flat' });
  });

  it('colours growth of critical and negative as a warning, growth of insights as good news', () => {
    expect(changeSentiment('insights', 'up')).toBe('good');
    expect(changeSentiment('critical', 'up')).toBe('bad');
    expect(changeSentiment('negative', 'down')).toBe('good');
    expect(changeSentiment('critical', 'new')).toBe('bad');
    expect(changeSentiment('contributors', 'flat')).toBe('neutral');
  });
});

describe('scores and periods', () => {
  it('shows scores whole or with their half point', () => {
    expect(formatScore(12)).toBe('12');
    expect(formatScore(13.5)).toBe('13.5');
  });

  it('names days in UTC and says what the period is compared with', () => {
    expect(dayRange('2026-11-01', '2026-11-30')).toBe('Nov 1, 2026 – Nov 30, 2026');
    expect(dayRange('2026-11-01', '2026-11-01')).toBe('Nov 1, 2026');
    expect(
      periodSentence({
        label: 'Nov 2026',
        from: '2026-11-01',
        to: '2026-11-30',
        previousFrom: '2026-10-02',
        previousTo: '2026-10-31',
      }),
    ).toBe('Nov 2026 (Nov 1, 2026 – Nov 30, 2026), compared with Oct 2, 2026 – Oct 31, 2026');
    expect(
      periodSentence({
        label: '2026-10-01 to 2026-10-03',
        from: '2026-10-01',
        to: '2026-10-03',
        previousFrom: '2026-09-28',
        previousTo: '2026-09-30',
      }),
    ).toBe('Oct 1, 2026 – Oct 3, 2026, compared with Sep 28, 2026 – Sep 30, 2026');
  });
});

describe('the impact formula in words', () => {
  it('states every weight the server used', () => {
    const words = formulaInWords({ ...IMPACT_WEIGHTS }).join(' ');
    expect(words).toContain('Every insight captured in the period earns 1 point.');
    expect(words).toContain('critical-priority insight earns 3 points more');
    expect(words).toContain('high-priority one 2 points more');
    expect(words).toContain('feature request earns 1.5 points more');
    expect(words).toContain('bug report 1.5 points more');
    expect(words).toContain('use case 2 points more');
  });

  it("gives the example's score as the documented function computes it", () => {
    const expected = impactScore({
      insights: 1,
      critical: 1,
      high: 0,
      featureRequests: 0,
      bugReports: 1,
      useCases: 0,
    });
    expect(formulaInWords().join(' ')).toContain(`a critical bug report scores ${formatScore(expected)}.`);
  });

  it('follows the weights the server sends', () => {
    expect(formulaInWords({ critical: 5 }).join(' ')).toContain(
      'critical-priority insight earns 5 points more',
    );
  });
});
