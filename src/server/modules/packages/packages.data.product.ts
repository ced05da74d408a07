import { and, asc, gte, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { GateStatus } from '../../../contract/api/readiness.ts';
import { decisions, events, insights, programPhases, risks, workstreams } from '../../db/schema.ts';
import {
  advocateCoverage,
  daysBefore,
  type GatherInput,
  isoDay,
  statusLabel,
  trendSections,
} from './packages.data.shared.ts';
import { day, facts, percent, type Section, table, text } from './packages.doc.ts';

/** A phase's state from its exit gates in the snapshot: met when every exit gate passes. */
function phaseState(exitGates: string[], statusOf: Map<string, GateStatus>): string {
  if (exitGates.length === 0) return 'No exit criteria';
  const passing = exitGates.filter((g) => statusOf.get(g) === 'pass').length;
  if (passing === exitGates.length) return 'Exit criteria met';
  return `In progress (${passing} of ${exitGates.length} exit gates pass)`;
}

/**
 * Product & Program: the decision register, the phases with their state, risks, adoption analytics and capture
 * coverage (events of the last 90 days with at least one insight; advocates who captured).
 */
export async function productSections(input: GatherInput): Promise<Section[]> {
  const { db, report, now } = input;
  const register = await db.select().from(decisions).orderBy(asc(decisions.number));
  const refOf = new Map(register.map((d) => [d.id, `DEC-${d.number}`]));
  const phases = await db.select().from(programPhases).orderBy(asc(programPhases.position));
  const statusOf = new Map(report.blocks.flatMap((b) => b.gates.map((g) => [g.id, g.status] as const)));
  const streams = new Map((await db.select().from(workstreams)).map((w) => [w.id, w.name]));
  const riskRows = await db
    .select()
    .from(risks)
    .orderBy(
      sql`case ${risks.level} when 'blocker' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`,
      asc(risks.title),
    );

  const range = { from: isoDay(daysBefore(now, 89)), to: isoDay(now) };
  const coverage = await db
    .select({
      all: sql<number>`count(*)::int`,
      covered: sql<number>`count(*) filter (where exists (select 1 from insights i where i.event_id = events.id and i.merged_into_id is null))::int`,
    })
    .from(events)
    .where(and(gte(events.startsOn, range.from), lte(events.startsOn, range.to)));
  const withInsight = Number(coverage[0]?.covered ?? 0);
  const eventCount = Number(coverage[0]?.all ?? 0);
  const advocates = await advocateCoverage(db, now, range);
  const linked = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(insights)
    .where(
      and(
        isNull(insights.mergedIntoId),
        isNotNull(insights.eventId),
        gte(insights.capturedAt, new Date(`${range.from}T00:00:00Z`)),
      ),
    );

  return [
    {
      heading: 'Decisions',
      blocks: [
        table(
          ['Ref', 'Workstream', 'Decision', 'Owner', 'Status', 'Depends on', 'Next action', 'Due'],
          register.map((d) => [
            `DEC-${d.number}`,
            d.workstream,
            d.title,
            d.owner,
            statusLabel(d.status),
            d.dependsOn.map((id) => refOf.get(id) ?? '?').join(', '),
            d.nextAction,
            d.dueDate,
          ]),
          'The decision register is empty.',
        ),
      ],
    },
    {
      heading: 'Phases',
      blocks: [
        table(
          ['#', 'Phase', 'Owner', 'Target', 'State'],
          phases.map((p) => [
            p.position,
            p.name,
            p.owner,
            day(p.targetDate),
            phaseState(p.exitGates, statusOf),
          ]),
          'No phases recorded.',
        ),
      ],
    },
    {
      heading: 'Risks',
      blocks: [
        table(
          ['Risk', 'Level', 'Status', 'Owner', 'Workstream', 'Mitigation'],
          riskRows.map((r) => [
            r.title,
            r.level,
            r.status,
            r.owner,
            r.workstreamId ? (streams.get(r.workstreamId) ?? null) : null,
            r.mitigation,
          ]),
          'No risks recorded.',
        ),
      ],
    },
    ...(await trendSections(input)),
    {
      heading: 'Capture coverage (last 90 days)',
      blocks: [
        text(
          `Events starting between ${range.from} and ${range.to}, and advocates (effective role) in that period.`,
        ),
        facts([
          ['Events with at least one insight', percent(withInsight, eventCount)],
          ['Advocates who captured', percent(advocates.captured, advocates.total)],
          ['Insights linked to an event', Number(linked[0]?.n ?? 0)],
        ]),
      ],
    },
  ];
}
