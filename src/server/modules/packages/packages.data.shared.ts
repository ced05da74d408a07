import { and, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { type DecisionStatus, STATUS_LABEL } from '../../../contract/api/decisions.ts';
import { BLOCK_LABEL, type ReadinessReport, VERDICT_LABEL } from '../../../contract/api/readiness.ts';
import { INSIGHT_TYPES } from '../../../contract/taxonomy.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { insights, risks, workstreams } from '../../db/schema.ts';
import { loadOrgAccess } from '../access-reviews/access-reviews.population.ts';
import { capturingAmong } from '../analytics/analytics.repo.ts';
import { productAnalytics } from '../analytics/analytics.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { type Block, facts, list, percent, type Section, table, text } from './packages.doc.ts';

/** What every gatherer gets: live state, the actor (for the analytics service) and the snapshot's report. */
export interface GatherInput {
  db: Db;
  ctx: RequestContext;
  config: Config;
  now: Date;
  report: ReadinessReport;
}

export const statusLabel = (status: string) => STATUS_LABEL[status as DecisionStatus] ?? status;

export const RISK_LEVEL_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, blocker: 4 };
export const OPEN_RISK_STATUSES = ['open', 'mitigating'] as const;

const DAY_MS = 86_400_000;
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
export const daysBefore = (d: Date, days: number) => new Date(d.getTime() - days * DAY_MS);

/** The readiness verdict with its reasons and gate counts, as the snapshot taken for the package states it. */
export function verdictSection(report: ReadinessReport, detailBlocks: boolean): Section {
  const blocks: Block[] = [
    facts([
      ['Verdict', VERDICT_LABEL[report.verdict]],
      ['Environment', report.environment],
      ['Evaluated at', report.evaluatedAt],
      ['Gates', `${report.counts.pass} pass, ${report.counts.warn} warn, ${report.counts.fail} fail`],
      ['Open blockers', report.blockers.length],
    ]),
    text('Reasons:'),
    list(report.reasons, 'No reasons recorded: every gate passes and no blocker is open.'),
  ];
  if (detailBlocks)
    blocks.push(
      table(
        ['Block', 'Status', 'Gates (pass / warn / fail)'],
        report.blocks.map((b) => [
          BLOCK_LABEL[b.id] ?? b.label,
          b.status,
          `${b.gates.filter((g) => g.status === 'pass').length} / ${b.gates.filter((g) => g.status === 'warn').length} / ${b.gates.filter((g) => g.status === 'fail').length}`,
        ]),
      ),
    );
  return { heading: 'Readiness verdict', blocks };
}

/** The four workstreams with their status, owner and highest open risk (open or mitigating). */
export async function workstreamRows(db: Db): Promise<[string, string, string, string][]> {
  const streams = await db.select().from(workstreams).orderBy(workstreams.name);
  const open = await db
    .select({ workstreamId: risks.workstreamId, level: risks.level })
    .from(risks)
    .where(inArray(risks.status, [...OPEN_RISK_STATUSES]));
  return streams.map((w) => {
    const levels = open.filter((r) => r.workstreamId === w.id).map((r) => r.level);
    const highest = levels.sort((a, b) => (RISK_LEVEL_RANK[b] ?? 0) - (RISK_LEVEL_RANK[a] ?? 0))[0] ?? 'none';
    return [w.name, statusLabel(w.status), w.owner, highest];
  });
}

/** Monday of the ISO week `weeksBack` weeks before the week of `day`. */
function mondayWeeksBefore(day: Date, weeksBack: number): Date {
  const weekday = (day.getUTCDay() + 6) % 7;
  return daysBefore(day, weekday + weeksBack * 7);
}

/**
 * Adoption and capture trends over the last 8 ISO weeks, from the analytics module (the same definitions as
 * the Analytics page: docs/analytics.md), plus totals by insight type over the same range.
 */
export async function trendSections(input: GatherInput): Promise<Section[]> {
  const from = isoDay(mondayWeeksBefore(input.now, 7));
  const to = isoDay(input.now);
  const analytics = await productAnalytics({ db: input.db, now: () => input.now }, input.ctx, {
    from,
    to,
    granularity: 'week',
    slice: 'role',
  });
  const active = analytics.activeUsers.total;
  const captured = analytics.captures.total;
  const byType = await input.db
    .select({ type: insights.type, n: sql<number>`count(*)::int` })
    .from(insights)
    .where(
      and(
        isNull(insights.mergedIntoId),
        gte(insights.capturedAt, new Date(`${from}T00:00:00.000Z`)),
        lt(insights.capturedAt, new Date(new Date(`${to}T00:00:00.000Z`).getTime() + DAY_MS)),
      ),
    )
    .groupBy(insights.type)
    .orderBy(sql`count(*) desc`, insights.type);
  return [
    {
      heading: 'Adoption (last 8 ISO weeks)',
      blocks: [
        facts([
          ['Range', `${analytics.from} to ${analytics.to}`],
          ['Active users over the range', active.total],
          ['Advocates who captured', percent(analytics.adoption.numerator, analytics.adoption.denominator)],
        ]),
        table(
          ['ISO week', 'Active users'],
          analytics.periods.map((p, i) => [
            `${p.label}${p.complete ? '' : ' (partial)'}`,
            active.values[i] ?? 0,
          ]),
        ),
      ],
    },
    {
      heading: 'Capture trends (last 8 ISO weeks)',
      blocks: [
        facts([['Insights captured over the range', captured.total]]),
        table(
          ['ISO week', 'Insights'],
          analytics.periods.map((p, i) => [
            `${p.label}${p.complete ? '' : ' (partial)'}`,
            captured.values[i] ?? 0,
          ]),
        ),
        text('Totals by type:'),
        table(
          ['Type', 'Insights'],
          byType.map((r) => [INSIGHT_TYPES.find((t) => t.id === r.type)?.label ?? r.type, Number(r.n)]),
          'No insights captured in the range.',
        ),
      ],
    },
  ];
}

/** Advocates (effective role) and how many of them captured in the range; the capture-coverage ratio. */
export async function advocateCoverage(db: Db, now: Date, range: { from: string; to: string }) {
  const org = await loadOrgAccess(db, { all: true }, now);
  const advocates = [...org.byId.values()]
    .filter((e) => e.access?.role === 'advocate')
    .map((e) => e.person.id);
  return { captured: await capturingAmong(db, range, advocates), total: advocates.length };
}
