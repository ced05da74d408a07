import { sql } from 'drizzle-orm';
import {
  ORG_SOURCE_IDS,
  type OrgSourceStatus,
  type OrgSourceUpdate,
  type OrgStatus,
} from '../../../contract/api/directory.ts';
import type { OrgSource } from '../../../contract/audit-events.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { orgSources, people } from '../../db/schema.ts';
import { audit } from '../audit/audit.service.ts';
import type { RequestContext } from '../identity/actor.ts';
import { countConflicts } from './conflicts.service.ts';
import { hierarchyIssueCount } from './hierarchy.service.ts';
import { DEFAULT_MAX_STALENESS_MINUTES } from './org.core.ts';

/**
 * How fresh each org source is. A source is stale when it is enabled and either its last success is older than
 * its limit, or it never synced although people are managed by it. Stale org data means access decisions rest
 * on facts nobody refreshed: the admin banner, the readiness check and the metrics (org-status.metrics.ts) all
 * read this.
 */

type SourceRow = typeof orgSources.$inferSelect;

export interface SourceHealth {
  source: OrgSource;
  enabled: boolean;
  stale: boolean;
  lastSuccessAt: Date | null;
  maxStalenessMinutes: number;
}

function minutesText(minutes: number): string {
  if (minutes < 120) return `${Math.round(minutes)} minutes`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} hours`;
  return `${Math.round(minutes / 1440)} days`;
}

/** One source's freshness from its row (absent: never synced, enabled by default) and how many it manages. */
export function assessSource(
  source: OrgSource,
  row: SourceRow | null,
  managed: number,
  now: Date,
): OrgSourceStatus {
  const enabled = row?.enabled ?? true;
  const max = row?.maxStalenessMinutes ?? DEFAULT_MAX_STALENESS_MINUTES[source];
  const last = row?.lastSuccessAt ?? null;
  let staleReason: string | null = null;
  if (enabled && last) {
    const age = (now.getTime() - last.getTime()) / 60_000;
    if (age > max)
      staleReason = `Last successful sync ${minutesText(age)} ago; the limit is ${minutesText(max)}.`;
  } else if (enabled && managed > 0) {
    staleReason = `Never synced, yet it manages ${managed} ${managed === 1 ? 'person' : 'people'}.`;
  }
  return {
    source,
    enabled,
    inUse: row !== null || managed > 0,
    lastSuccessAt: last?.toISOString() ?? null,
    lastAttemptAt: row?.lastAttemptAt?.toISOString() ?? null,
    lastError: row?.lastError ?? null,
    lastCounts: row?.lastCounts ?? null,
    maxStalenessMinutes: max,
    stale: staleReason !== null,
    staleReason,
    managedPeople: managed,
  };
}

interface PeopleCounts {
  status: 'provisional' | 'active' | 'deactivated';
  org_source: OrgSource | null;
  n: number;
}

async function peopleCounts(db: Db): Promise<PeopleCounts[]> {
  const rows = await queryRows<PeopleCounts>(
    db,
    sql`select ${people.status} as status, ${people.orgSource} as org_source, count(*)::int as n
        from ${people} group by 1, 2`,
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

async function sourceStatuses(db: Db, counts: PeopleCounts[], now: Date): Promise<OrgSourceStatus[]> {
  const rows = await db.select().from(orgSources);
  return ORG_SOURCE_IDS.map((source) => {
    const managed = counts
      .filter((c) => c.org_source === source && c.status !== 'deactivated')
      .reduce((n, c) => n + c.n, 0);
    return assessSource(source, rows.find((r) => r.id === source) ?? null, managed, now);
  });
}

/** Per-source freshness (for readiness checks and the staleness job): two small queries. */
export async function orgSourceHealth(db: Db, now: Date): Promise<SourceHealth[]> {
  const statuses = await sourceStatuses(db, await peopleCounts(db), now);
  return statuses.map((s) => ({
    source: s.source,
    enabled: s.enabled,
    stale: s.stale,
    lastSuccessAt: s.lastSuccessAt ? new Date(s.lastSuccessAt) : null,
    maxStalenessMinutes: s.maxStalenessMinutes,
  }));
}

export async function orgStatus(db: Db, now: Date): Promise<OrgStatus> {
  const counts = await peopleCounts(db);
  const byStatus = (status: PeopleCounts['status']) =>
    counts.filter((c) => c.status === status).reduce((n, c) => n + c.n, 0);
  const bySource = (source: OrgSource | null) =>
    counts.filter((c) => c.org_source === source && c.status !== 'deactivated').reduce((n, c) => n + c.n, 0);
  return {
    generatedAt: now.toISOString(),
    sources: await sourceStatuses(db, counts, now),
    people: {
      active: byStatus('active'),
      provisional: byStatus('provisional'),
      deactivated: byStatus('deactivated'),
      bySource: { scim: bySource('scim'), hr: bySource('hr'), none: bySource(null) },
    },
    hierarchyIssues: await hierarchyIssueCount(db),
    conflicts: await countConflicts(db),
  };
}

/** An admin turns a source on or off and sets how stale is too stale (audited). */
export async function configureSource(
  db: Db,
  ctx: RequestContext,
  source: OrgSource,
  input: OrgSourceUpdate,
  now: Date,
): Promise<OrgSourceStatus> {
  await db.transaction(async (tx) => {
    await tx
      .insert(orgSources)
      .values({
        id: source,
        enabled: input.enabled,
        maxStalenessMinutes: input.maxStalenessMinutes,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: orgSources.id,
        set: { enabled: input.enabled, maxStalenessMinutes: input.maxStalenessMinutes, updatedAt: now },
      });
    await audit(tx, ctx, { action: 'org.source.configured', targetId: source, details: input });
  });
  const status = (await sourceStatuses(db, await peopleCounts(db), now)).find((s) => s.source === source);
  if (!status) throw new Error(`org source ${source} vanished`);
  return status;
}

/**
 * The org-staleness job: recompute freshness and report it (the scheduler logs the result). The
 * metrics read the same assessment at scrape time (org-status.metrics.ts).
 */
export async function checkOrgStaleness(db: Db, now: Date): Promise<Record<string, unknown>> {
  const health = await orgSourceHealth(db, now);
  const summary: Record<string, unknown> = {};
  for (const h of health) {
    const age = h.lastSuccessAt ? Math.round((now.getTime() - h.lastSuccessAt.getTime()) / 1000) : -1;
    summary[h.source] = { enabled: h.enabled, stale: h.stale, lastSuccessAgeSeconds: age };
  }
  summary.stale = health.filter((h) => h.stale).map((h) => h.source);
  return summary;
}
