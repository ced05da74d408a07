import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Risk, RiskListQuery, Workstream } from '../../../contract/api/workspace.ts';
import type { Db } from '../../db/client.ts';
import { decisions, programPhases, risks, workstreams } from '../../db/schema.governance.ts';

/** Reads and row mapping of the program workspace (phases, workstreams, risks). */

export type PhaseRow = typeof programPhases.$inferSelect;
export type WorkstreamRow = typeof workstreams.$inferSelect;
export type RiskRow = typeof risks.$inferSelect;

const LEVEL_ORDER = sql`case ${risks.level} when 'blocker' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;
const STATUS_ORDER = sql`case ${risks.status} when 'open' then 0 when 'mitigating' then 1 when 'accepted' then 2 else 3 end`;

export function toWorkstream(row: WorkstreamRow): Workstream {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    description: row.description,
    status: row.status,
    phaseId: row.phaseId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function isBlocking(row: Pick<RiskRow, 'level' | 'status'>): boolean {
  return row.level === 'blocker' && (row.status === 'open' || row.status === 'mitigating');
}

export function toRisk(row: RiskRow, workstreamName: string | null): Risk {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    level: row.level,
    status: row.status,
    mitigation: row.mitigation,
    owner: row.owner,
    workstream:
      row.workstreamId && workstreamName !== null ? { id: row.workstreamId, name: workstreamName } : null,
    blocking: isBlocking(row),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listPhases(db: Db): Promise<PhaseRow[]> {
  return db.select().from(programPhases).orderBy(asc(programPhases.position), asc(programPhases.id));
}

export async function findPhase(db: Db, id: string, lock = false): Promise<PhaseRow | undefined> {
  const query = db.select().from(programPhases).where(eq(programPhases.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** Workstreams in program order: by their phase's position (none last), then oldest first. */
export async function listWorkstreams(db: Db): Promise<WorkstreamRow[]> {
  const rows = await db
    .select({ stream: workstreams })
    .from(workstreams)
    .leftJoin(programPhases, eq(programPhases.id, workstreams.phaseId))
    .orderBy(sql`${programPhases.position} asc nulls last`, asc(workstreams.createdAt), asc(workstreams.id));
  return rows.map((row) => row.stream);
}

export async function findWorkstream(db: Db, id: string, lock = false): Promise<WorkstreamRow | undefined> {
  const query = db.select().from(workstreams).where(eq(workstreams.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** Another workstream already has this name, ignoring case. */
export async function workstreamNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  const conditions: SQL[] = [sql`lower(${workstreams.name}) = lower(${name})`];
  if (exceptId) conditions.push(sql`${workstreams.id} <> ${exceptId}`);
  const [row] = await db
    .select({ id: workstreams.id })
    .from(workstreams)
    .where(and(...conditions))
    .limit(1);
  return row !== undefined;
}

/** Risks, worst first: blockers, then by status (open first), newest first within. */
export async function listRisks(db: Db, filter: RiskListQuery = {}): Promise<Risk[]> {
  const conditions: SQL[] = [];
  if (filter.level) conditions.push(eq(risks.level, filter.level));
  if (filter.status) conditions.push(eq(risks.status, filter.status));
  const rows = await db
    .select({ risk: risks, workstreamName: workstreams.name })
    .from(risks)
    .leftJoin(workstreams, eq(workstreams.id, risks.workstreamId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(LEVEL_ORDER, STATUS_ORDER, sql`${risks.createdAt} desc`, asc(risks.id));
  return rows.map((row) => toRisk(row.risk, row.workstreamName));
}

export async function readRisk(db: Db, id: string): Promise<Risk | null> {
  const [row] = await db
    .select({ risk: risks, workstreamName: workstreams.name })
    .from(risks)
    .leftJoin(workstreams, eq(workstreams.id, risks.workstreamId))
    .where(eq(risks.id, id));
  return row ? toRisk(row.risk, row.workstreamName) : null;
}

export async function findRisk(db: Db, id: string, lock = false): Promise<RiskRow | undefined> {
  const query = db.select().from(risks).where(eq(risks.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function decisionLabel(db: Db, id: string): Promise<string | null> {
  const [row] = await db
    .select({ number: decisions.number, title: decisions.title })
    .from(decisions)
    .where(eq(decisions.id, id));
  return row ? `DEC-${row.number}: ${row.title}` : null;
}

/** Field names whose values differ between the stored row and the patch (undefined = not sent). */
export function changedFields<T extends Record<string, unknown>>(
  row: T,
  patch: Partial<T>,
): (keyof T & string)[] {
  const changed: (keyof T & string)[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = row[key];
    const same =
      Array.isArray(value) && Array.isArray(current)
        ? value.length === current.length && value.every((v, i) => v === current[i])
        : value === current;
    if (!same) changed.push(key as keyof T & string);
  }
  return changed;
}
