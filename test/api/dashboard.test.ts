import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardSummary } from '../../src/contract/api/insights.ts';
import { INSIGHT_TYPES, PRODUCT_AREAS } from '../../src/contract/taxonomy.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

const DAY = 86_400_000;
/** A fixed clock mid-day UTC, so day boundaries in the trend are deterministic. */
const NOW = new Date('2026-11-21T12:00:00.000Z');

let stack: TestStack;
let ari: Session;
let fatima: Session;
let maya: Session;
let dana: Session;

async function capture(s: Session, daysAgo: number, fields: Record<string, unknown>) {
  const response = await s.post('/api/v1/insights', {
    id: randomUUID(),
    text: `captured ${daysAgo} days ago`,
    type: 'feature_request',
    productAreas: [],
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
    ...fields,
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  [ari, fatima, maya, dana] = (await Promise.all(
    ['ari.levy', 'fatima.zahra', 'maya.patel', 'dana.okafor'].map((n) => stack.signIn(`${n}@example.com`)),
  )) as [Session, Session, Session, Session];
  await capture(ari, 0, { type: 'pain_point', sentiment: 'negative', productAreas: ['atlas', 'drivers'] });
  await capture(ari, 0, { type: 'pain_point', sentiment: 'negative', productAreas: ['atlas'] });
  await capture(ari, 3, {
    type: 'praise',
    sentiment: 'positive',
    priority: 'low',
    productAreas: ['compass'],
  });
  await capture(ari, 40, { type: 'question' });
  await capture(fatima, 1, { type: 'bug_report', priority: 'critical', productAreas: ['atlas'] });
});
afterAll(async () => {
  await stack?.close();
});

const count = (rows: { key: string; count: number }[], key: string) => rows.find((r) => r.key === key)?.count;

describe('dashboard summary', () => {
  it('counts within the manager’s scope only, over the requested period', async () => {
    const s = await maya.json<DashboardSummary>('/api/v1/dashboard/summary?days=30');
    expect(s.scopeLabel).toBe('Your own insights, team amer');
    expect(s.total).toBe(4);
    expect(s.inPeriod).toBe(3);
    expect(count(s.byType, 'pain_point')).toBe(2);
    expect(count(s.byType, 'praise')).toBe(1);
    expect(count(s.byType, 'question')).toBe(0);
    expect(count(s.byType, 'bug_report')).toBe(0);
    expect(count(s.bySentiment, 'negative')).toBe(2);
    expect(count(s.byPriority, 'low')).toBe(1);
    // Several product areas on one insight count once each.
    expect(count(s.byProductArea, 'atlas')).toBe(2);
    expect(count(s.byProductArea, 'drivers')).toBe(1);
  });

  it('counts the whole org for an org-wide scope', async () => {
    const s = await dana.json<DashboardSummary>('/api/v1/dashboard/summary');
    expect(s.scopeLabel).toBe('Whole organization');
    expect(s.total).toBe(5);
    expect(s.inPeriod).toBe(4);
    expect(count(s.byProductArea, 'atlas')).toBe(3);
    expect(count(s.byPriority, 'critical')).toBe(1);
  });

  it('lists every taxonomy entry (zeros included), so no category silently disappears', async () => {
    const s = await maya.json<DashboardSummary>('/api/v1/dashboard/summary');
    expect(s.byType.map((r) => r.key)).toEqual(INSIGHT_TYPES.map((t) => t.id));
    expect(s.byProductArea.map((r) => r.key)).toEqual(PRODUCT_AREAS.map((t) => t.id));
    expect(s.byType.find((r) => r.key === 'pain_point')?.label).toBe('Pain Point');
    expect(s.taxonomyVersion).toBe('2026.1');
  });

  it('gives one trend point per UTC day of the period, ending today', async () => {
    const s = await dana.json<DashboardSummary>('/api/v1/dashboard/summary?days=7');
    expect(s.trend).toHaveLength(7);
    expect(s.trend.at(-1)).toEqual({ date: '2026-11-21', count: 2 });
    expect(s.trend.at(-2)).toEqual({ date: '2026-11-20', count: 1 });
    expect(s.trend.at(-4)).toEqual({ date: '2026-11-18', count: 1 });
    expect(s.trend[0]?.date).toBe('2026-11-15');
    expect(s.trend.reduce((sum, d) => sum + d.count, 0)).toBe(s.inPeriod);
  });

  it('bounds the period', async () => {
    for (const days of ['0', '366', 'abc']) {
      const response = await dana.get(`/api/v1/dashboard/summary?days=${days}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
        'query.days',
      );
    }
  });
});
