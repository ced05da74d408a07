import { eq, type SQL } from 'drizzle-orm';
import { atLeast } from '../../../contract/roles.ts';
import { insights } from '../../db/schema.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';
import { authorizeInsight } from '../insights/insights.policy.ts';

export type SocialAction = 'read' | 'react' | 'note';

/**
 * The one place reaction and note permissions are decided, before any lookup (a role refusal reveals nothing
 * about a record). Which insights it applies to is the insight read scope (`insightReadScope`, in the SQL):
 * - anyone who can read an insight can read its reactions and notes;
 * - advocates, managers and admins may react and write notes on any insight in their scope, their own
 *   included (a manager cheering the team, an author answering a question);
 * - viewers read reporting and never write, exactly as they never capture or edit insights: 403.
 */
export function authorizeSocial(actor: Actor, action: SocialAction): void {
  if (action === 'read') {
    authorizeInsight(actor, 'read');
    return;
  }
  if (atLeast(actor.role, 'advocate')) return;
  const what = action === 'react' ? 'react to insights' : 'write notes on insights';
  throw new ForbiddenError(`Your role (${actor.role}) cannot ${what}.`);
}

/**
 * The insights the Impact view counts: the caller's own. Always inside the caller's read scope (every scope
 * includes one's own insights), so no further scope condition is needed.
 */
export function ownInsights(actor: Actor): SQL {
  return eq(insights.authorId, actor.personId);
}
