import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import {
  type Decision,
  type DecisionDependency,
  type DecisionState,
  type DecisionVersion,
  decisionRef,
} from '../../../contract/api/decisions.ts';
import type { Db } from '../../db/client.ts';
import { decisions, decisionVersions } from '../../db/schema.governance.ts';
import { people } from '../../db/schema.ts';

/**
 * Reads and writes of the decision register. Dependencies are stored as ids on the row and answered with each
 * dependency's ref, title and status; a version row keeps the whole state after each edit.
 */

/** Serializes the assignment of decision numbers (create, seed): max + 1 inside the transaction. */
const DECISIONS_LOCK_KEY = 4_217_730_031;

export type DecisionRow = typeof decisions.$inferSelect;
export interface DecisionHead {
  row: DecisionRow;
  updatedByName: string | null;
}

export interface ListFilter {
  owner?: string | undefined;
  status?: readonly DecisionRow['status'][] | undefined;
  workstream?: string | undefined;
}

export async function lockNumbers(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${DECISIONS_LOCK_KEY})`);
}

export async function nextNumber(tx: Db): Promise<number> {
  const [row] = await tx.select({ max: sql<number | null>`max(${decisions.number})` }).from(decisions);
  return Number(row?.max ?? 0) + 1;
}

export async function countDecisions(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(decisions);
  return Number(row?.n ?? 0);
}

const headColumns = { row: decisions, updatedByName: people.displayName };

export async function listHeads(db: Db, filter: ListFilter): Promise<DecisionHead[]> {
  const where: SQL[] = [];
  if (filter.owner !== undefined) where.push(eq(decisions.owner, filter.owner));
  if (filter.workstream !== undefined) where.push(eq(decisions.workstream, filter.workstream));
  if (filter.status !== undefined && filter.status.length > 0)
    where.push(inArray(decisions.status, [...filter.status]));
  return db
    .select(headColumns)
    .from(decisions)
    .leftJoin(people, eq(people.id, decisions.updatedBy))
    .where(and(...where))
    .orderBy(asc(decisions.number));
}

/** One decision (null when it does not exist); `lock` holds its row until the transaction ends. */
export async function findHead(db: Db, id: string, lock = false): Promise<DecisionHead | null> {
  const query = db
    .select(headColumns)
    .from(decisions)
    .leftJoin(people, eq(people.id, decisions.updatedBy))
    .where(eq(decisions.id, id))
    .limit(1);
  const [row] = lock ? await query.for('update', { of: decisions }) : await query;
  return row ?? null;
}

/** Distinct owners and workstreams of the whole register, for the filters. */
export async function facets(db: Db): Promise<{ owners: string[]; workstreams: string[] }> {
  const owners = await db
    .selectDistinct({ v: decisions.owner })
    .from(decisions)
    .orderBy(asc(decisions.owner));
  const workstreams = await db
    .selectDistinct({ v: decisions.workstream })
    .from(decisions)
    .orderBy(asc(decisions.workstream));
  return { owners: owners.map((o) => o.v), workstreams: workstreams.map((w) => w.v) };
}

/** The whole register as id → { number, dependsOn } (existence and cycle checks). */
export async function dependencyGraph(db: Db): Promise<Map<string, { number: number; dependsOn: string[] }>> {
  const rows = await db
    .select({ id: decisions.id, number: decisions.number, dependsOn: decisions.dependsOn })
    .from(decisions);
  return new Map(rows.map((r) => [r.id, { number: r.number, dependsOn: r.dependsOn }]));
}

async function dependencies(
  db: Db,
  heads: readonly DecisionHead[],
): Promise<Map<string, DecisionDependency>> {
  const ids = [...new Set(heads.flatMap((h) => h.row.dependsOn))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: decisions.id, number: decisions.number, title: decisions.title, status: decisions.status })
    .from(decisions)
    .where(inArray(decisions.id, ids));
  return new Map(
    rows.map((r) => [r.id, { id: r.id, ref: decisionRef(r.number), title: r.title, status: r.status }]),
  );
}

/** Overdue: a due date before today (UTC) on a decision not yet decided. */
export function isOverdue(row: Pick<DecisionRow, 'dueDate' | 'status'>, now: Date): boolean {
  return row.dueDate !== null && row.status !== 'decided' && row.dueDate < now.toISOString().slice(0, 10);
}

/** The API view of these heads, dependencies resolved in one query, in the order given. */
export async function toDecisions(db: Db, heads: readonly DecisionHead[], now: Date): Promise<Decision[]> {
  const deps = await dependencies(db, heads);
  return heads.map(({ row, updatedByName }) => ({
    id: row.id,
    number: row.number,
    ref: decisionRef(row.number),
    workstream: row.workstream,
    title: row.title,
    direction: row.direction,
    owner: row.owner,
    status: row.status,
    dependsOn: row.dependsOn
      .map((id) => deps.get(id))
      .filter((d): d is DecisionDependency => d !== undefined)
      .sort((a, b) => a.ref.localeCompare(b.ref, 'en', { numeric: true })),
    nextAction: row.nextAction,
    dueDate: row.dueDate,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy !== null ? { id: row.updatedBy, name: updatedByName ?? 'Unknown' } : null,
    overdue: isOverdue(row, now),
  }));
}

/** The state a version records. */
export function stateOf(row: Pick<DecisionRow, keyof DecisionState>): DecisionState {
  return {
    workstream: row.workstream,
    title: row.title,
    direction: row.direction,
    owner: row.owner,
    status: row.status,
    dependsOn: [...row.dependsOn],
    nextAction: row.nextAction,
    dueDate: row.dueDate,
  };
}

export async function insertVersion(
  tx: Db,
  version: {
    decisionId: string;
    version: number;
    state: DecisionState;
    changed: string[];
    at: Date;
    by: string | null;
  },
): Promise<void> {
  await tx.insert(decisionVersions).values({
    decisionId: version.decisionId,
    version: version.version,
    state: version.state,
    changed: version.changed,
    changedAt: version.at,
    changedBy: version.by,
  });
}

/** Every version of a decision, newest first. */
export async function versionsOf(db: Db, id: string): Promise<DecisionVersion[]> {
  const rows = await db
    .select({ v: decisionVersions, name: people.displayName })
    .from(decisionVersions)
    .leftJoin(people, eq(people.id, decisionVersions.changedBy))
    .where(eq(decisionVersions.decisionId, id))
    .orderBy(desc(decisionVersions.version));
  return rows.map(({ v, name }) => ({
    version: v.version,
    state: v.state as DecisionState,
    changed: v.changed,
    changedAt: v.changedAt.toISOString(),
    changedBy: v.changedBy !== null ? { id: v.changedBy, name: name ?? 'Unknown' } : null,
  }));
}
