import { type DecisionState, decisionRef } from '../../../contract/api/decisions.ts';
import type { Db } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { dependencyGraph } from './decisions.repo.ts';

/**
 * The rules a decision's state must keep whatever the edit: dependencies name existing decisions, never the
 * decision itself, and never close a cycle; a decided decision states its direction.
 */

type Graph = Map<string, { number: number; dependsOn: string[] }>;

const invalid = (field: string, message: string, detail: string) =>
  new ValidationError(detail, [{ field, message }]);

/** A path self → … → self through `graph` (with `self`'s edges replaced by `dependsOn`), or null. */
export function findCycle(graph: Graph, self: string, dependsOn: readonly string[]): string[] | null {
  const edges = (id: string) => (id === self ? dependsOn : (graph.get(id)?.dependsOn ?? []));
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | null => {
    if (id === self) return path;
    if (seen.has(id)) return null;
    seen.add(id);
    for (const next of edges(id)) {
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return null;
  };
  for (const first of dependsOn) {
    const found = walk(first, [self, first]);
    if (found) return found;
  }
  return null;
}

/**
 * The dependencies as stored: duplicates dropped (first mention kept). 400 naming body.dependsOn for the
 * decision itself, an id that names no decision, or a cycle (`self` null: a new decision, which nothing can
 * depend on yet).
 */
export async function checkDependsOn(tx: Db, self: string | null, requested: readonly string[]) {
  const dependsOn = [...new Set(requested)];
  if (self !== null && dependsOn.includes(self))
    throw invalid(
      'body.dependsOn',
      'must not name the decision itself',
      'A decision cannot depend on itself.',
    );
  if (dependsOn.length === 0) return dependsOn;
  const graph = await dependencyGraph(tx);
  const unknown = dependsOn.filter((id) => !graph.has(id));
  if (unknown.length > 0)
    throw invalid(
      'body.dependsOn',
      `names no decision: ${unknown.join(', ')}`,
      'A dependency names a decision that does not exist.',
    );
  if (self !== null) {
    const cycle = findCycle(graph, self, dependsOn);
    if (cycle) {
      const refs = cycle.map((id) => {
        const number = graph.get(id)?.number;
        return number === undefined ? id : decisionRef(number);
      });
      throw invalid(
        'body.dependsOn',
        `would make a cycle: ${refs.join(' → ')}`,
        'These dependencies would make decisions wait for each other in a circle.',
      );
    }
  }
  return dependsOn;
}

/** A decided decision says what was decided: 400 naming body.direction when it is empty. */
export function checkDecided(state: Pick<DecisionState, 'status' | 'direction'>): void {
  if (state.status === 'decided' && state.direction.trim() === '')
    throw invalid(
      'body.direction',
      'must not be empty once the status is decided',
      'A decided decision needs its direction: say what was decided.',
    );
}

/** Names of the fields whose value differs (dependencies compared as sets). */
export function changedFields(before: DecisionState, after: DecisionState): (keyof DecisionState)[] {
  const out: (keyof DecisionState)[] = [];
  for (const key of Object.keys(after) as (keyof DecisionState)[]) {
    if (key === 'dependsOn') {
      const a = new Set(before.dependsOn);
      const b = new Set(after.dependsOn);
      if (a.size !== b.size || [...b].some((id) => !a.has(id))) out.push(key);
    } else if (before[key] !== after[key]) out.push(key);
  }
  return out;
}
