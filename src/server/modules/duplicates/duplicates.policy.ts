import { and, isNull, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { atLeast } from '../../../contract/roles.ts';
import { ForbiddenError } from '../../errors.ts';
import { personInScope } from '../access/scope.sql.ts';
import type { Actor } from '../identity/actor.ts';
import { authorizeInsight } from '../insights/insights.policy.ts';

export type DuplicateAction = 'read' | 'review';

/**
 * The one place duplicate permissions are decided, before any lookup (a role refusal reveals nothing about a
 * record):
 * - read (proposed pairs, candidates for one insight, the merges into a primary): anyone who reads insights,
 *   over the insights of their read scope only;
 * - review (merge, unmerge, dismiss a proposal): managers and admins. Merging changes what every report
 *   counts for everyone, so it is curation, not capture: advocates and viewers get 403.
 */
export function authorizeDuplicates(actor: Actor, action: DuplicateAction): void {
  authorizeInsight(actor, 'read');
  if (action === 'read') return;
  if (atLeast(actor.role, 'manager')) return;
  throw new ForbiddenError(
    `Your role (${actor.role}) cannot merge or dismiss duplicates; managers and admins review them.`,
  );
}

/** The insights table or one of its aliases (the detector joins insights with itself). */
type InsightTable = { authorId: AnyPgColumn; mergedIntoId: AnyPgColumn };

/**
 * The insight read scope (`insightReadScope`: the author is in the actor's reporting scope) applied to one
 * alias of the insights table: the detector joins insights with itself, and BOTH sides must be in scope.
 */
export function inScope(actor: Actor, table: InsightTable): SQL {
  return personInScope(table.authorId, actor);
}

/** What the detector may propose: in scope and not already merged into another insight. */
export function proposable(actor: Actor, table: InsightTable): SQL {
  return and(inScope(actor, table), isNull(table.mergedIntoId)) as SQL;
}
