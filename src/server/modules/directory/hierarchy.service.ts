import { and, asc, count, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import {
  DIRECT_REPORTS_LISTED,
  HIERARCHY_ISSUES_LISTED,
  type HierarchyIssues,
  type OrgPersonDetail,
} from '../../../contract/api/directory.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { people } from '../../db/schema.ts';

/**
 * The reporting hierarchy: who is at the top, who has no manager and no reports (orphans), whose manager
 * reference matches nobody yet, and — defensively, since every write checks it — any cycle. Plus one
 * person's manager chain and direct reports.
 */

const hasReports = sql`exists (select 1 from ${people} r where r.manager_id = ${people.id} and r.status <> 'deactivated')`;
const noManager = sql`${people.managerId} is null`;
const active = eq(people.status, 'active');

const issueColumns = {
  id: people.id,
  name: people.displayName,
  email: people.email,
  employeeNumber: people.employeeNumber,
  orgSource: people.orgSource,
  department: people.department,
  managerRef: people.managerRef,
};

async function listed(db: Db, where: SQL, limit: number) {
  const [total] = await db.select({ n: count() }).from(people).where(where);
  const rows = await db
    .select(issueColumns)
    .from(people)
    .where(where)
    .orderBy(sql`lower(${people.displayName})`, asc(people.id))
    .limit(limit);
  return { count: Number(total?.n ?? 0), rows };
}

const TOP_LEVEL = and(active, noManager, hasReports) as SQL;
const ORPHANS = and(active, noManager, sql`${people.managerRef} is null`, sql`not ${hasReports}`) as SQL;
const UNRESOLVED = and(
  ne(people.status, 'deactivated'),
  noManager,
  sql`${people.managerRef} is not null`,
) as SQL;

/** Every cycle in a manager graph (node → its manager): linear, whatever the depth. */
export function cyclesIn(next: ReadonlyMap<string, string | null>): string[][] {
  const state = new Map<string, 'walking' | 'done'>();
  const cycles: string[][] = [];
  for (const start of next.keys()) {
    const path: string[] = [];
    let node: string | null | undefined = start;
    while (node && !state.has(node)) {
      state.set(node, 'walking');
      path.push(node);
      node = next.get(node);
    }
    if (node && state.get(node) === 'walking') cycles.push(path.slice(path.indexOf(node)));
    for (const n of path) state.set(n, 'done');
  }
  return cycles;
}

/** Manager cycles in the stored org (should never exist: writes refuse them). */
export async function findCycles(db: Db): Promise<string[][]> {
  const rows = await db
    .select({ id: people.id, managerId: people.managerId })
    .from(people)
    .where(sql`${people.managerId} is not null`);
  return cyclesIn(new Map(rows.map((r) => [r.id, r.managerId])));
}

export async function hierarchyIssues(db: Db, limit = HIERARCHY_ISSUES_LISTED): Promise<HierarchyIssues> {
  const [top, orphans, unresolved, cycles] = [
    await listed(db, TOP_LEVEL, limit),
    await listed(db, ORPHANS, limit),
    await listed(db, UNRESOLVED, limit),
    await findCycles(db),
  ];
  const cycleIds = [...new Set(cycles.flat())];
  const names =
    cycleIds.length === 0
      ? new Map<string, string>()
      : new Map(
          (
            await db
              .select({ id: people.id, name: people.displayName })
              .from(people)
              .where(inArray(people.id, cycleIds))
          ).map((r) => [r.id, r.name]),
        );
  const strip = ({ managerRef: _ref, ...rest }: (typeof top.rows)[number]) => rest;
  return {
    topLevel: { count: top.count, items: top.rows.map(strip) },
    orphans: { count: orphans.count, items: orphans.rows.map(strip) },
    unresolvedManagers: {
      count: unresolved.count,
      items: unresolved.rows.map((r) => ({ ...strip(r), managerRef: r.managerRef ?? '' })),
    },
    cycles: cycles.map((c) => ({ people: c.map((id) => ({ id, name: names.get(id) ?? id })) })),
  };
}

/** Orphans + unresolved references + cycles (the status page's number). */
export async function hierarchyIssueCount(db: Db): Promise<number> {
  const [o] = await db.select({ n: count() }).from(people).where(ORPHANS);
  const [u] = await db.select({ n: count() }).from(people).where(UNRESOLVED);
  return Number(o?.n ?? 0) + Number(u?.n ?? 0) + (await findCycles(db)).length;
}

/** Managers from the direct manager up to the top (stops at a repeat, should bad data ever loop). */
export async function managerChain(db: Db, personId: string): Promise<OrgPersonDetail['chain']> {
  const rows = await queryRows<{ id: string; name: string; title: string | null; depth: number }>(
    db,
    sql`with recursive up(id, depth) as (
        select manager_id, 1 from ${people} where id = ${personId} and manager_id is not null
        union
        select p.manager_id, up.depth + 1 from ${people} p join up on p.id = up.id
        where p.manager_id is not null and up.depth < 200
      )
      select p.id, p.display_name as name, p.title, up.depth from up join ${people} p on p.id = up.id
      order by up.depth`,
  );
  const seen = new Set<string>([personId]);
  const chain: OrgPersonDetail['chain'] = [];
  for (const r of rows) {
    if (seen.has(r.id)) break;
    seen.add(r.id);
    chain.push({ id: r.id, name: r.name, title: r.title });
  }
  return chain;
}

export async function directReports(db: Db, personId: string): Promise<OrgPersonDetail['directReports']> {
  const where = eq(people.managerId, personId);
  const [total] = await db.select({ n: count() }).from(people).where(where);
  const items = await db
    .select({ id: people.id, name: people.displayName, title: people.title, status: people.status })
    .from(people)
    .where(where)
    .orderBy(sql`lower(${people.displayName})`, asc(people.id))
    .limit(DIRECT_REPORTS_LISTED);
  return { count: Number(total?.n ?? 0), items };
}
