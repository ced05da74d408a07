import type { SQL } from 'drizzle-orm';
import { atLeast } from '../../../contract/roles.ts';
import { insights } from '../../db/schema.ts';
import { ForbiddenError } from '../../errors.ts';
import { personInScope } from '../access/scope.sql.ts';
import type { Actor } from '../identity/actor.ts';

export type InsightAction = 'read' | 'create' | 'update' | 'bulk_update';

/**
 * The one place insight permissions are decided. Viewers read reporting; they never write. Bulk retagging and
 * reclassifying is curation of a team's captures: managers and admins only, refused (403) before any lookup.
 */
export function authorizeInsight(actor: Actor, action: InsightAction): void {
  if (action === 'read') return;
  if ((action === 'create' || action === 'update') && atLeast(actor.role, 'advocate')) return;
  if (action === 'bulk_update') {
    if (atLeast(actor.role, 'manager')) return;
    throw new ForbiddenError(
      `Your role (${actor.role}) cannot change insights in bulk; managers and admins can.`,
    );
  }
  throw new ForbiddenError(`Your role (${actor.role}) cannot ${action} insights.`);
}

/**
 * Who may edit one insight (its fields, or its follow-up workflow), decided after it was found inside the actor's read scope (`insightReadScope`; an
 * insight outside it answers 404 before this runs, so nothing about it is revealed):
 * - viewers never edit: `authorizeInsight(actor, 'update')` refuses them with 403 before any lookup, in or out
 *   of scope, exactly as it refuses their creates (a role refusal reveals nothing about a record);
 * - the author may edit their own insight;
 * - managers and admins may edit any insight in their read scope (a manager curating the team's captures);
 * - an advocate may read colleagues' insights in scope but not edit them: 403.
 */
export function authorizeInsightEdit(actor: Actor, insight: { author: { id: string } }): void {
  authorizeInsight(actor, 'update');
  if (insight.author.id === actor.personId) return;
  if (atLeast(actor.role, 'manager')) return;
  throw new ForbiddenError('Only the author or a manager in scope can edit this insight.');
}

/**
 * The rows an actor may read, as a SQL condition every insight query includes (reporting too): insights whose
 * author is in the actor's reporting scope. Rows outside it do not exist for that actor: lookups answer 404,
 * lists and counts never include them.
 */
export function insightReadScope(actor: Actor): SQL {
  return personInScope(insights.authorId, actor);
}
