import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analytics } from '../../src/contract/api/analytics.ts';
import type { Me } from '../../src/contract/api/me.ts';
import { apiTokens, events, insights, people, usageDays } from '../../src/server/db/schema.ts';
import { cleanupExpired } from '../../src/server/jobs/cleanup.ts';
import { hashToken, newToken } from '../../src/server/modules/identity/identity.tokens.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';
import { expectMatchesRawRows, insertEarlierUsage, type Who } from './analytics.raw.ts';

/**
 * GET /api/v1/analytics against an independent model: activity made through real requests (sign-ins, captures
 * from the capture app, telemetry, report views, exports, an API token) plus usage rows of earlier days written
 * directly; every number is then recomputed in TypeScript from the raw rows and compared, for both
 * granularities and every slice.
 */
let clock = new Date('2026-11-21T23:30:00.000Z');
const TODAY = '2026-11-21';
const WHO = {
  ari: 'Ari',
  ben: 'Ben',
  fatima: 'Fatima',
  maya: 'Maya',
  priya: 'Priya',
  victor: 'Victor',
} as const;
const CAPTURE = { 'x-bi-client': 'capture' };

let stack: TestStack;
const s = {} as Record<Who, Session>;
const id = {} as Record<Who, string>;
let token = '';
const db = () => stack.db.database.db;
const at = (day: string, time = '12:00:00') => new Date(`${day}T${time}.000Z`);

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
  for (const who of Object.keys(WHO) as Who[]) {
    s[who] = await stack.signIn(WHO[who], who === 'priya' ? { auth: 'mfa' } : {});
    id[who] = (await s[who].json<Me>('/api/v1/me')).person.id;
  }
});
afterAll(async () => {
  await stack?.close();
});

async function usageOf(who: Who, day = TODAY) {
  const [row] = await db()
    .select()
    .from(usageDays)
    .where(and(eq(usageDays.personId, id[who]), eq(usageDays.day, day)));
  return row;
}
const surfacesOf = async (who: Who, day = TODAY) => [...((await usageOf(who, day))?.surfaces ?? [])].sort();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function analytics(query: string): Promise<Analytics> {
  const response = await s.priya.get(`/api/v1/analytics${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Analytics;
}

function insight(day: string, eventId: string | null = null) {
  return {
    id: randomUUID(),
    text: `Captured on ${day}`,
    type: 'pain_point',
    sentiment: 'negative',
    priority: 'medium',
    productAreas: [],
    eventId,
    capturedAt: at(day).toISOString(),
  };
}

describe('usage recording', () => {
  it('records each person per UTC day with the surfaces used: capture (X-BI-Client), admin, api (token)', async () => {
    const [e1, e2] = await db()
      .insert(events)
      .values([
        {
          name: 'DevDay Berlin',
          eventType: 'regional_dev_day',
          startsOn: '2026-11-01',
          endsOn: '2026-11-20',
        },
        { name: 'Atlas Summit', eventType: 'architect_day', startsOn: '2026-10-30', endsOn: '2026-11-16' },
      ])
      .returning();
    // The day's snapshot is taken at the first write: a later department change does not rewrite today.
    await expect.poll(() => surfacesOf('ari')).toEqual(['admin']);
    await db().update(people).set({ department: 'Builder Relations' }).where(eq(people.id, id.ari));
    const batches: [Who, ReturnType<typeof insight>[]][] = [
      ['ari', [insight('2026-11-21', e1?.id), insight('2026-11-18'), insight('2026-11-02', e1?.id)]],
      ['ben', [insight('2026-11-16', e2?.id), insight('2026-10-30')]],
      ['fatima', [insight('2026-11-20', e1?.id)]],
    ];
    for (const [who, items] of batches) {
      const response = await s[who].post('/api/v1/insights/batch', { items }, CAPTURE);
      expect(response.status, await response.clone().text()).toBe(200);
    }
    // A public form response is not a capture.
    await db()
      .insert(insights)
      .values({
        ...insight('2026-11-19'),
        authorId: id.maya,
        source: 'form',
        taxonomyVersion: '1',
        capturedAt: at('2026-11-19'),
      });

    const event = (day: string, kind: string, value: number, attrs: Record<string, string> = {}) => ({
      id: randomUUID(),
      kind,
      value,
      attrs,
      at: at(day, '10:00:00').toISOString(),
    });
    const telemetry = [
      event('2026-11-21', 'tap_to_saved_ms', 200, { mode: 'online' }),
      event('2026-11-21', 'tap_to_saved_ms', 300, { mode: 'offline' }),
      event('2026-11-20', 'tap_to_saved_ms', 250, { mode: 'offline' }),
      event('2026-11-16', 'tap_to_saved_ms', 150, { mode: 'online' }),
      event('2026-11-21', 'reconnect', 1),
      event('2026-11-21', 'offline_duration_ms', 90_000),
      event('2026-11-20', 'reconnect', 1),
      event('2026-11-20', 'offline_duration_ms', 30_000),
      event('2026-11-16', 'offline_duration_ms', 600_000),
      ...['created', 'created', 'duplicate', 'failed', 'conflict'].map((result) =>
        event('2026-11-21', 'sync_outcome', 1, { result }),
      ),
      event('2026-11-15', 'sync_outcome', 1, { result: 'failed' }),
      event('2026-11-15', 'queue_depth', 3),
    ];
    const sent = await s.ari.post(
      '/api/v1/telemetry/capture',
      { appVersion: '1.0.0', events: telemetry },
      CAPTURE,
    );
    expect(sent.status).toBe(202);

    // Ari's personal token, stored as the tokens module stores one (creating it over HTTP needs a step-up, which
    // compares the IdP's real sign-in time with this test's fixed clock). Its use below is a real request.
    token = `bi_pat_${newToken()}`;
    await db()
      .insert(apiTokens)
      .values({
        kind: 'personal',
        ownerId: id.ari,
        name: 'Analytics',
        scopes: ['insights:read'],
        status: 'active',
        prefix: token.slice(0, 12),
        tokenHash: hashToken(token),
        lifetimeDays: 7,
        createdAt: clock,
        expiresAt: new Date(clock.getTime() + 7 * 86_400_000),
      });
    const viaToken = await fetch(`${stack.baseUrl}/api/v1/insights`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.status).toBe(200);

    // Report views (the pages' beacon) and exports (recorded where the file is produced).
    const view = (who: Who, surface: string, viewId = randomUUID()) =>
      s[who].post('/api/v1/analytics/views', { surface, viewId });
    const repeated = randomUUID();
    for (const [who, surface, viewId] of [
      ['maya', 'dashboard', undefined],
      ['victor', 'dashboard', repeated],
      ['victor', 'leaderboard', undefined],
      ['priya', 'saved_view', undefined],
    ] as const) {
      const answer = await view(who, surface, viewId);
      expect(answer.status).toBe(202);
      expect(await answer.json()).toEqual({ recorded: true });
    }
    expect(await (await view('victor', 'dashboard', repeated)).json()).toEqual({ recorded: false });
    const csv = await s.maya.get('/api/v1/exports/insights.csv');
    expect(csv.status).toBe(200);
    await csv.text();
    const pdf = await s.victor.get('/api/v1/reports/executive.pdf');
    expect(pdf.status).toBe(200);
    await pdf.arrayBuffer();

    await expect.poll(() => surfacesOf('ari')).toEqual(['admin', 'api', 'capture']);
    await expect.poll(() => surfacesOf('ben')).toEqual(['admin', 'capture']);
    await expect.poll(() => surfacesOf('fatima')).toEqual(['admin', 'capture']);
    for (const who of ['maya', 'priya', 'victor'] as const) expect(await surfacesOf(who)).toEqual(['admin']);
    expect(await usageOf('ari')).toMatchObject({ role: 'advocate', team: 'amer', department: null });
    expect(await usageOf('maya')).toMatchObject({ role: 'manager', team: 'amer' });
    expect(await usageOf('victor')).toMatchObject({ role: 'viewer', team: null });
  });

  it('throttles: many requests make no write; last seen moves at most every 15 minutes', async () => {
    const before = await usageOf('victor');
    await Promise.all(Array.from({ length: 20 }, () => s.victor.get('/api/v1/me')));
    await pause(300);
    expect(await usageOf('victor')).toEqual(before);
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect((await s.victor.get('/api/v1/me')).status).toBe(200);
    await expect
      .poll(async () => (await usageOf('victor'))?.lastSeenAt.toISOString())
      .toBe(clock.toISOString());
    expect((await usageOf('victor'))?.firstSeenAt).toEqual(before?.firstSeenAt);
    const rows = await db().select().from(usageDays).where(eq(usageDays.personId, id.victor));
    expect(rows).toHaveLength(1);
  });
});

describe('GET /api/v1/analytics', () => {
  it('equals the numbers recomputed from the raw rows, per day and per ISO week, for every slice', async () => {
    await insertEarlierUsage(db(), id);
    // An advocate the org source provisioned who never signed in: counts in adoption's denominator only.
    await db()
      .insert(people)
      .values({
        email: 'pat@example.com',
        displayName: 'Pat Provisional',
        groups: ['builder-relations', 'br-team-amer'],
        status: 'provisional',
      });
    for (const granularity of ['day', 'week'] as const) {
      for (const slice of ['role', 'department', 'team'] as const) {
        const answer = await analytics(
          `?from=2026-10-28&to=${TODAY}&granularity=${granularity}&slice=${slice}`,
        );
        expect(answer).toMatchObject({ from: '2026-10-28', to: TODAY, days: 25, granularity, slice });
        await expectMatchesRawRows(db(), answer, granularity, slice);
      }
    }
    const week = await analytics(`?from=2026-10-28&to=${TODAY}&granularity=week`);
    expect(week.periods.map((p) => [p.label, p.from, p.to, p.complete])).toEqual([
      ['2026-W44', '2026-10-28', '2026-11-01', false],
      ['2026-W45', '2026-11-02', '2026-11-08', true],
      ['2026-W46', '2026-11-09', '2026-11-15', true],
      ['2026-W47', '2026-11-16', '2026-11-21', false],
    ]);
    // Ben was an advocate and a manager in week 46: once under each role, once in the total.
    const w46 = 2;
    const role = (r: string) => week.activeUsers.byRole.find((x) => x.key === r)?.values[w46];
    expect([role('advocate'), role('manager'), week.activeUsers.total.values[w46]]).toEqual([1, 1, 1]);
    expect(week.adoption).toMatchObject({ numerator: 3, denominator: 4 });

    const byDefault = await analytics('');
    expect(byDefault).toMatchObject({
      from: '2026-10-25',
      to: TODAY,
      days: 28,
      granularity: 'day',
      slice: 'role',
    });
    expect(byDefault.periods).toHaveLength(28);
    await expectMatchesRawRows(db(), byDefault, 'day', 'role');
  });

  it('is for admins only; a session is needed', async () => {
    for (const who of ['ari', 'maya', 'victor'] as const)
      expect((await s[who].get('/api/v1/analytics')).status).toBe(403);
    expect((await fetch(`${stack.baseUrl}/api/v1/analytics`)).status).toBe(401);
    const viaToken = await fetch(`${stack.baseUrl}/api/v1/analytics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.status).toBe(401);
  });

  it('refuses bad parameters with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?granularity=month', 'query.granularity'],
      ['?slice=org', 'query.slice'],
      ['?from=2026-13-01', 'query.from'],
      ['?from=2026-11-22&to=2026-11-21', 'query.from'],
      ['?from=2025-11-20&to=2026-11-21', 'query.to'],
      ['?days=7', 'query.days'],
    ];
    for (const [query, field] of cases) {
      const response = await s.priya.get(`/api/v1/analytics${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { errors: { field: string }[] };
      expect(body.errors.map((e) => e.field)).toContain(field);
    }
    const bad = await s.victor.post('/api/v1/analytics/views', { surface: 'billing', viewId: 'x' });
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.surface', 'body.viewId']));
    expect((await analytics('?from=2025-11-21&to=2026-11-21')).days).toBe(366);
  });
});

describe('what does not count', () => {
  it('health probes, public routes and refused requests record nothing; the next authenticated request does', async () => {
    clock = new Date('2026-11-22T00:05:00.000Z');
    const tomorrow = '2026-11-22';
    for (const path of ['/healthz', '/readyz', '/api/openapi.json', '/f/no-such-form'])
      await s.victor.get(path);
    expect((await s.maya.get('/api/v1/analytics')).status).toBe(403);
    expect((await s.priya.get('/api/v1/analytics?granularity=month')).status).toBe(400);
    await pause(300);
    expect(await db().select().from(usageDays).where(eq(usageDays.day, tomorrow))).toEqual([]);
    expect((await s.victor.get('/api/v1/me')).status).toBe(200);
    await expect.poll(() => surfacesOf('victor', tomorrow)).toEqual(['admin']);
  });

  it('the cleanup job deletes usage facts older than 400 days', async () => {
    const result = await cleanupExpired(db(), clock);
    expect(result).toMatchObject({ usageDays: 1, usageEvents: 1 });
    expect(await usageOf('priya', '2025-10-01')).toBeUndefined();
    expect(await usageOf('ari', '2026-11-16')).toBeDefined();
  });
});
