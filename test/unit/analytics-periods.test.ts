import { describe, expect, it } from 'vitest';
import {
  isoWeekLabel,
  isoWeekStart,
  periodsOf,
  resolveRange,
} from '../../src/server/modules/analytics/analytics.periods.ts';
import { UsageThrottle } from '../../src/server/modules/analytics/usage.tracking.ts';

describe('analytics periods', () => {
  it('labels ISO weeks by the year of their Thursday', () => {
    expect(['2024-12-30', '2026-01-01', '2026-12-31', '2027-01-03', '2027-01-04'].map(isoWeekStart)).toEqual([
      '2024-12-30',
      '2025-12-29',
      '2026-12-28',
      '2026-12-28',
      '2027-01-04',
    ]);
    expect(['2024-12-30', '2025-12-29', '2026-12-28', '2027-01-04'].map(isoWeekLabel)).toEqual([
      '2025-W01',
      '2026-W01',
      '2026-W53',
      '2027-W01',
    ]);
  });

  it('cuts the first and last ISO week to the range, and defaults to the 28 days ending today', () => {
    const weeks = periodsOf({ from: '2026-12-30', to: '2027-01-05', days: 7 }, 'week');
    expect(weeks).toEqual([
      { key: '2026-12-28', label: '2026-W53', from: '2026-12-30', to: '2027-01-03', complete: false },
      { key: '2027-01-04', label: '2027-W01', from: '2027-01-04', to: '2027-01-05', complete: false },
    ]);
    expect(resolveRange({}, '2026-03-01')).toEqual({ from: '2026-02-02', to: '2026-03-01', days: 28 });
    expect(periodsOf(resolveRange({}, '2026-03-01'), 'day')).toHaveLength(28);
  });
});

describe('usage throttle', () => {
  it('writes once per surface per day, then refreshes last seen at most every 15 minutes', () => {
    const throttle = new UsageThrottle();
    const t = (minutes: number) => minutes * 60_000;
    const takes = [
      throttle.take('2026-11-21', 'p', 'admin', t(0)),
      throttle.take('2026-11-21', 'p', 'admin', t(1)),
      throttle.take('2026-11-21', 'p', 'capture', t(2)),
      throttle.take('2026-11-21', 'p', 'capture', t(16)),
      throttle.take('2026-11-21', 'p', 'admin', t(20)),
      throttle.take('2026-11-22', 'p', 'admin', t(21)),
    ];
    // The refresh counts from the last write (minute 2): not at minute 16, at minute 20; a new day starts over.
    expect(takes).toEqual([true, false, true, false, true, true]);
    throttle.forget('2026-11-22', 'p');
    expect(throttle.take('2026-11-22', 'p', 'admin', t(22))).toBe(true);
  });
});
