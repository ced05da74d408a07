import { atLeast } from '../../../contract/roles.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * Who may ask for a generated executive summary (it sends the report's figures and quotes to a third party and
 * costs money per call): the report's audience — viewers, managers and admins — over their own scope.
 * Advocates read reports but do not send them out.
 */
export function authorizeSummary(actor: Actor): void {
  if (actor.role === 'viewer' || atLeast(actor.role, 'manager')) return;
  throw new ForbiddenError(`Your role (${actor.role}) cannot generate report summaries.`);
}
