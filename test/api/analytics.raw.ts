import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import {
  type Analytics,
  EXPORT_SURFACES,
  USAGE_SURFACES,
  VIEW_SURFACES,
} from '../../src/contract/api/analytics.ts';
import { ROLES } from '../../src/contract/roles.ts';
import type { Db } from '../../src/server/db/client.ts';
import { clientTelemetry, insights, people, usageDays, usageEvents } from '../../src/server/db/schema.ts';
import {
  asMap,
  expectedOffline,
  expectedPeriods,
  expectedSeries,
  type Fact,
  utcDay,
} from './analytics.model.ts';

/** The raw-row side of test/api/analytics.test.ts: earlier days' usage, and the comparison of an answer. */

export type Who = 'ari' | 'ben' | 'fatima' | 'maya' | 'priya' | 'victor';
const at = (day: string, time = '12:00:00') => new Date(`${day}T${time}.000Z`);

/** Usage of earlier days, as the recorder would have written it: a week with a role and team change. */
export async function insertEarlierUsage(db: Db, id: Record<Who, string>) {
  const row = (
    who: Who,
    day: string,
    role: string,
    team: string | null,
    department: string | null,
    surfaces: string[],
  ) => ({
    day,
    personId: id[who],
    role,
    team,
    department,
    surfaces,
    firstSeenAt: at(day, '09:00:00'),
    lastSeenAt: at(day, '17:00:00'),
  });
  await db
    .insert(usageDays)
    .values([
      row('ari', '2026-11-16', 'advocate', 'amer', 'Builder Relations', ['capture']),
      row('ari', '2026-11-17', 'advocate', 'amer', 'Builder Relations', ['capture', 'admin']),
      row('ben', '2026-11-10', 'advocate', 'amer', 'Builder Relations', ['capture']),
      row('ben', '2026-11-12', 'manager', 'emea', 'Builder Relations', ['admin']),
      row('maya', '2026-10-29', 'manager', 'amer', null, ['admin']),
      row('victor', '2026-11-02', 'viewer', null, 'Product', ['admin']),
      row('fatima', '2026-10-20', 'advocate', 'emea', 'Builder Relations', ['capture']),
      row('priya', '2025-10-01', 'admin', null, null, ['admin']),
    ]);
  await db.insert(usageEvents).values([
    {
      occurredAt: at('2026-11-03'),
      personId: id.maya,
      role: 'manager',
      kind: 'view',
      surface: 'dashboard',
    },
    {
      occurredAt: at('2026-11-09'),
      personId: id.victor,
      role: 'viewer',
      kind: 'export',
      surface: 'insights_csv',
      details: { format: 'csv' },
    },
    { occurredAt: at('2025-10-01'), personId: id.victor, role: 'viewer', kind: 'view', surface: 'themes' },
  ]);
  await db.insert(clientTelemetry).values(
    [45_000, 120_000, 5_000].map((value) => ({
      id: randomUUID(),
      personId: id.ben,
      kind: 'offline_duration_ms' as const,
      value,
      attrs: {},
      appVersion: '0.9.0',
      occurredAt: at('2026-11-01'),
    })),
  );
}

/** Every number of one answer, recomputed from the raw rows. */
export async function expectMatchesRawRows(
  db: Db,
  answer: Analytics,
  granularity: 'day' | 'week',
  slice: 'role' | 'department' | 'team',
) {
  const periods = expectedPeriods(answer.from, answer.to, granularity);
  expect(answer.periods.map((p) => p.key)).toEqual(periods);
  const inRange = (day: string) => day >= answer.from && day <= answer.to;
  const usage = (await db.select().from(usageDays)).filter((r) => inRange(r.day));
  const series = (facts: Fact[], measure: 'distinct' | 'count', keys: readonly (string | null)[] = []) =>
    expectedSeries(facts, periods, granularity, measure, keys);
  const people$ = (key: (r: (typeof usage)[number]) => string | null) =>
    usage.map((r) => ({ day: r.day, key: key(r), person: r.personId }));

  const total = series(
    people$(() => null),
    'distinct',
    [null],
  ).get(null);
  expect({ values: answer.activeUsers.total.values, total: answer.activeUsers.total.total }).toEqual(total);
  expect(asMap(answer.activeUsers.byRole)).toEqual(
    series(
      people$((r) => r.role),
      'distinct',
      ROLES,
    ),
  );
  expect(asMap(answer.activeUsers.bySlice)).toEqual(
    series(
      people$((r) => r[slice]),
      'distinct',
      slice === 'role' ? ROLES : [],
    ),
  );
  const bySurface = usage.flatMap((r) =>
    r.surfaces.map((surface) => ({ day: r.day, key: surface, person: r.personId })),
  );
  expect(asMap(answer.activeUsers.bySurface)).toEqual(series(bySurface, 'distinct', USAGE_SURFACES));
  const weekFrom = new Date(Date.parse(`${answer.to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  const weekly = (await db.select().from(usageDays)).filter((r) => r.day >= weekFrom && r.day <= answer.to);
  expect(answer.activeUsers.weekly).toEqual({
    count: new Set(weekly.map((r) => r.personId)).size,
    from: weekFrom,
    to: answer.to,
  });

  const everyone = await db.select().from(people);
  const teamOf = new Map(everyone.map((p) => [p.id, p.team]));
  const captured = (await db.select().from(insights)).filter(
    (i) => i.source !== 'form' && inRange(utcDay(i.capturedAt)),
  );
  const capture$ = (key: (i: (typeof captured)[number]) => string | null) =>
    captured.map((i) => ({ day: utcDay(i.capturedAt), key: key(i) }));
  expect({ values: answer.captures.total.values, total: answer.captures.total.total }).toEqual(
    series(
      capture$(() => null),
      'count',
      [null],
    ).get(null),
  );
  expect(asMap(answer.captures.byTeam)).toEqual(
    series(
      capture$((i) => teamOf.get(i.authorId) ?? null),
      'count',
    ),
  );
  expect(asMap(answer.captures.byEvent)).toEqual(
    series(
      capture$((i) => i.eventId),
      'count',
    ),
  );

  const telemetry = (await db.select().from(clientTelemetry)).map((t) => ({
    day: utcDay(t.occurredAt),
    kind: t.kind,
    value: t.value,
    mode: t.attrs.mode,
    result: t.attrs.result,
  }));
  const offline = expectedOffline(
    telemetry.filter((t) => inRange(t.day)),
    periods,
    granularity,
  );
  expect(answer.offline.offlineShare).toEqual(offline.offlineShare);
  expect(answer.offline.recoveryRate).toEqual(offline.recoveryRate);
  expect({ values: answer.offline.reconnects.values, total: answer.offline.reconnects.total }).toEqual(
    offline.reconnects,
  );
  const durations = [...answer.offline.offlineDuration.values, answer.offline.offlineDuration.total];
  const expectedDurations = [...offline.offlineDuration.values, offline.offlineDuration.total];
  durations.forEach((d, i) => {
    const e = expectedDurations[i];
    expect(d.count).toBe(e?.count);
    for (const p of ['p50', 'p95'] as const) {
      if (e?.[p] === null) expect(d[p]).toBeNull();
      else expect(d[p]).toBeCloseTo(e?.[p] ?? Number.NaN, 6);
    }
  });

  const engagement = (await db.select().from(usageEvents)).filter((e) => inRange(utcDay(e.occurredAt)));
  const eng$ = (kind: string, key: (e: (typeof engagement)[number]) => string | null) =>
    engagement
      .filter((e) => e.kind === kind)
      .map((e) => ({ day: utcDay(e.occurredAt), key: key(e), person: e.personId }));
  expect(asMap(answer.engagement.views)).toEqual(
    series(
      eng$('view', (e) => e.surface),
      'count',
      VIEW_SURFACES,
    ),
  );
  expect(asMap(answer.engagement.viewers)).toEqual(
    series(
      eng$('view', (e) => e.surface),
      'distinct',
      VIEW_SURFACES,
    ),
  );
  expect(asMap(answer.engagement.exports)).toEqual(
    series(
      eng$('export', (e) => e.surface),
      'count',
      EXPORT_SURFACES,
    ),
  );
  expect(asMap(answer.engagement.exportsByFormat)).toEqual(
    series(
      eng$('export', (e) => String(e.details.format)),
      'count',
      ['csv', 'pdf'],
    ),
  );

  // Advocates by their groups (the default mapping), not by the service's evaluation.
  const rank = (groups: string[]) =>
    groups.includes('bi-admins')
      ? 'admin'
      : groups.includes('bi-managers')
        ? 'manager'
        : groups.includes('builder-relations')
          ? 'advocate'
          : 'viewer';
  const advocates = everyone
    .filter((p) => p.status !== 'deactivated' && rank(p.groups) === 'advocate')
    .map((p) => p.id);
  const capturing = advocates.filter((a) => captured.some((i) => i.authorId === a));
  expect(answer.adoption).toEqual({
    numerator: capturing.length,
    denominator: advocates.length,
    value: capturing.length / advocates.length,
  });
}
