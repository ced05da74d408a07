import type { SQL } from 'drizzle-orm';
import { atLeast } from '../../../contract/roles.ts';
import { insights } from '../../db/schema.ts';
import { ForbiddenError } from '../../errors.ts';
import { personInScope } from '../access/scope.sql.ts';
import type { Actor } from '../identity/actor.ts';

export type InsightAction = 'read' | 'create';

/** The one place insight permissions are decided. Viewers read reporting; they never write. */
export function authorizeInsight(actor: Actor, action: InsightAction): void {
  if (action === 'read') return;
  if (action === 'create' && atLeast(actor.role, 'advocate')) return;
  throw new ForbiddenError(`Your role (${actor.role}) cannot ${action} insights.`);
}

/**
 * The rows an actor may read, as a SQL condition every insight query includes (reporting too): insights whose
 * author is in the actor's reporting scope. Rows outside it do not exist for that actor: lookups answer 404,
 * lists and counts never include them.
 */
export function insightReadScope(actor: Actor): SQL {
  return personInScope(insights.authorId, actor);
}
