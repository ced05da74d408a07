import { type Column, inArray, type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../../contract/roles.ts';
import { people } from '../../db/schema.ts';

/**
 * Reporting scope as SQL, applied inside every query that reads scoped data (ARCHITECTURE §5: scope lives in
 * the query). Rows outside it do not exist for the actor: lookups answer 404, lists and counts skip them.
 */

/**
 * Everyone in the reporting trees under these managers, the managers included: a recursive walk down
 * people.manager_id. `union` (not `union all`) makes the walk terminate even if bad data ever held a cycle.
 * The lateral subquery (`offset 0` keeps the planner from flattening it) makes each level an index lookup on
 * people_manager_idx; a plain join lets PostgreSQL pick a full scan + hash join per level, which costs
 * ~150 ms for a 41-level chain at 10,000 people instead of ~2 ms.
 */
export function reportingTreeSql(managerIds: readonly string[]): SQL {
  return sql`with recursive tree(id) as (
      select ${people.id} from ${people} where ${inArray(people.id, [...managerIds])}
      union
      select c.id from tree, lateral (select p.id from ${people} p where p.manager_id = tree.id offset 0) c
    ) select id from tree`;
}

/**
 * Person ids a scope covers, as a condition on a person-id column (an insight's author, an event's owner …).
 *
 * One `= any(array(…))` over the union of the scope's parts (the person, teams, trees, units), not an `or` of
 * `in (…)` subqueries: the array is computed once (an InitPlan) and the column is then compared with a list,
 * so PostgreSQL can read insights through insights_author_captured_idx (author, then the period's range) for
 * just the people in scope. The `or` form forced a sequential scan of every insight with a hashed subplan per
 * part: 310 ms instead of 40 ms per dashboard aggregate for a 300-person tree on 1 M insights
 * (docs/performance.md).
 */
export function personInScope(column: Column | SQL, actor: { personId: string; scope: Scope }): SQL {
  const { scope } = actor;
  if (scope.kind === 'all') return sql`true`;
  const sets: SQL[] = [];
  if (scope.teams.length > 0)
    sets.push(sql`select ${people.id} from ${people} where ${inArray(people.team, scope.teams)}`);
  if (scope.trees.length > 0) sets.push(sql`(${reportingTreeSql(scope.trees)})`);
  if (scope.units.length > 0)
    sets.push(sql`select ${people.id} from ${people} where ${inArray(people.department, scope.units)}`);
  if (sets.length === 0) return sql`${column} = ${actor.personId}`;
  return sql`${column} = any(array(select ${actor.personId}::uuid union ${sql.join(sets, sql` union `)}))`;
}
