import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leaderboard } from '../../src/contract/api/reporting.ts';
import { IMPACT_FORMULA, IMPACT_WEIGHTS, impactScore } from '../../src/contract/reporting.ts';
import { insights } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

/** GET /api/v1/leaderboard: ranked by the documented impact score, never by the raw number of insights. */
const NOW = new Date('2026-11-21T12:00:00.000Z');
const WHO = [
  'Ari',
  'Ben',
  'Camila',
  'Jordan',
  'Fatima',
  'Gustav',
  'Hannah',
  'Maya',
  'Erik',
  'Victor',
] as const;
type Who = (typeof WHO)[number];

let stack: TestStack;
const s = {} as Record<Who, Session>;
const ids: Record<string, string[]> = {};

async function capture(who: Who, n: number, fields: Record<string, unknown>, at = '2026-11-20T10:00:00Z') {
  const items = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    text: `${who} insight ${i}`,
    type: 'question',
    sentiment: 'neutral',
    priority: 'low',
    capturedAt: at,
    ...fields,
  }));
  const response = await s[who].post('/api/v1/insights/batch', { items });
  const body = (await response.json()) as { results: { status: string }[] };
  expect(body.results.every((r) => r.status === 'created')).toBe(true);
  ids[who] = [...(ids[who] ?? []), ...items.map((i) => i.id)];
}

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  for (const who of WHO) s[who] = await stack.signIn(who);
  await capture('Ari', 3, {}); // 3 × 1 = 3
  await capture('Ben', 1, { type: 'bug_report', priority: 'critical' }); // 1 + 3 + 1.5 = 5.5
  await capture('Camila', 1, { type: 'use_case', priority: 'high' }); // 1 + 2 + 2 = 5
  await capture('Jordan', 1, { type: 'use_case', priority: 'high' }); // 5
  await capture('Fatima', 5, {}); // 5 × 1 = 5
  await capture('Gustav', 1, { type: 'feature_request', priority: 'medium' }); // 1 + 1.5 = 2.5
  // Outside the period: not counted (but it is the only thing on 2026-10-01).
  await capture('Gustav', 1, { type: 'bug_report', priority: 'critical' }, '2026-10-01T10:00:00Z');
  // Hannah's only insight is a duplicate merged into Ben's: it counts once, as Ben's, so she has no row.
  await capture('Hannah', 1, { type: 'bug_report', priority: 'critical' });
  await stack.db.database.db
    .update(insights)
    .set({ mergedIntoId: ids.Ben?.[0] ?? null })
    .where(eq(insights.id, ids.Hannah?.[0] ?? ''));
});
afterAll(async () => {
  await stack?.close();
});

const board = (who: Who, query = '') =>
  s[who].json<Leaderboard>(`/api/v1/leaderboard${query ? `?${query}` : ''}`);
const table = (b: Leaderboard) => b.rows.map((r) => [r.rank, r.person.name, r.score, r.insights]);

describe('leaderboard', () => {
  it('ranks by impact score, not by insight count; equal scores share a rank, then insights, then name', async () => {
    const b = await board('Victor');
    expect(table(b)).toEqual([
      [1, 'Ben Carter', 5.5, 1],
      [2, 'Fatima Zahra', 5, 5],
      [2, 'Camila Reyes', 5, 1],
      [2, 'Jordan Kim', 5, 1],
      [5, 'Ari Levy', 3, 3],
      [6, 'Gustav Berg', 2.5, 1],
    ]);
    // The prototype's bug: sorted by insight count, Fatima (5) and Ari (3) would lead over Ben's one critical bug.
    expect(b.rows[0]?.person.name).toBe('Ben Carter');
    expect(b.totalContributors).toBe(6);
    expect(b.rows.find((r) => r.person.name === 'Hannah Schmidt')).toBeUndefined();
  });

  it('scores with the documented formula, from the counts it shows', async () => {
    const b = await board('Victor');
    expect(b.formula).toBe(IMPACT_FORMULA);
    expect(b.weights).toEqual(IMPACT_WEIGHTS);
    for (const r of b.rows) expect(r.score).toBe(impactScore(r));
    expect(b.rows[0]).toMatchObject({
      person: { name: 'Ben Carter', team: 'amer' },
      insights: 1,
      critical: 1,
      high: 0,
      featureRequests: 0,
      bugReports: 1,
      useCases: 0,
    });
    expect(b.rows.find((r) => r.person.name === 'Camila Reyes')).toMatchObject({ high: 1, useCases: 1 });
    expect(b.rows.find((r) => r.person.name === 'Gustav Berg')).toMatchObject({
      featureRequests: 1,
      critical: 0,
      person: { team: 'emea' },
    });
  });

  it('keeps to the reader’s scope, ranking within it', async () => {
    const maya = await board('Maya');
    expect(maya.scopeLabel).toBe('Your own insights, team amer');
    expect(table(maya)).toEqual([
      [1, 'Ben Carter', 5.5, 1],
      [2, 'Camila Reyes', 5, 1],
      [2, 'Jordan Kim', 5, 1],
      [4, 'Ari Levy', 3, 3],
    ]);
    expect(maya.totalContributors).toBe(4);
    const erik = await board('Erik');
    expect(table(erik)).toEqual([
      [1, 'Fatima Zahra', 5, 5],
      [2, 'Gustav Berg', 2.5, 1],
    ]);
  });

  it('applies the filter and the period, and limits the rows but not the total', async () => {
    const limited = await board('Victor', 'limit=2');
    expect(table(limited)).toEqual([
      [1, 'Ben Carter', 5.5, 1],
      [2, 'Fatima Zahra', 5, 5],
    ]);
    expect(limited.totalContributors).toBe(6);
    const useCases = await board('Victor', 'type=use_case');
    expect(table(useCases)).toEqual([
      [1, 'Camila Reyes', 5, 1],
      [1, 'Jordan Kim', 5, 1],
    ]);
    const october = await board('Victor', 'period=custom&from=2026-10-01&to=2026-10-01');
    expect(october.period).toMatchObject({ from: '2026-10-01', to: '2026-10-01', days: 1 });
    expect(table(october)).toEqual([[1, 'Gustav Berg', 5.5, 1]]);
    const team = await board('Victor', 'team=emea&period=last7');
    expect(team.rows.map((r) => r.person.name)).toEqual(['Fatima Zahra', 'Gustav Berg']);
    const nobody = await board('Victor', 'period=custom&from=2026-01-01&to=2026-01-31');
    expect(nobody).toMatchObject({ rows: [], totalContributors: 0 });
  });

  it('reads with an API token carrying reporting:read, as its owner; other scopes are refused', async () => {
    const token = async (scopes: string[]) => {
      const response = await s.Maya.post('/api/v1/tokens', {
        name: `reports ${scopes}`,
        scopes,
        expiresInDays: 7,
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { token: string }).token;
    };
    const bearer = (t: string, path: string) =>
      fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${t}` } });
    const reader = await token(['reporting:read']);
    const viaToken = await bearer(reader, '/api/v1/leaderboard');
    expect(viaToken.status).toBe(200);
    expect(await viaToken.json()).toEqual(await board('Maya'));
    for (const path of ['/api/v1/dashboard', '/api/v1/reports/executive'])
      expect((await bearer(reader, path)).status).toBe(200);
    const other = await token(['insights:read']);
    for (const path of ['/api/v1/leaderboard', '/api/v1/dashboard', '/api/v1/reports/executive'])
      expect((await bearer(other, path)).status).toBe(403);
  });

  it('answers 400 naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', 'query.limit'],
      ['limit=501', 'query.limit'],
      ['period=last7&to=2026-11-01', 'to'],
      ['period=custom', 'from'],
      ['sort=insights', 'query.sort'],
    ]) {
      const response = await s.Victor.get(`/api/v1/leaderboard?${query}`);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((e) => e.field)).toEqual([field]);
    }
  });
});
