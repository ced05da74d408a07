import { eq, type SQL, sql } from 'drizzle-orm';
import { atLeast } from '../../../contract/roles.ts';
import { feedbackForms } from '../../db/schema.program.ts';
import { ForbiddenError } from '../../errors.ts';
import { personInScope } from '../access/scope.sql.ts';
import type { Actor } from '../identity/actor.ts';

/**
 * The one place feedback-form permissions are decided.
 * - Advocates, managers and admins build forms (a form's responses become insights they author); viewers
 *   never do: 403 before any lookup.
 * - Who sees a form — its settings, its responses and its QR code — also manages it: the owner; a manager whose
 *   reporting scope includes the owner (curating the team's forms); admins every form. `formManageScope` is
 *   that rule in SQL, so lists, lookups and edits cannot disagree. Any other form answers 404.
 * - The public page needs no permission: anyone with the link may answer an open form.
 */
export function authorizeForms(actor: Actor): void {
  if (atLeast(actor.role, 'advocate')) return;
  throw new ForbiddenError(
    `Your role (${actor.role}) cannot build feedback forms; advocates, managers and admins can.`,
  );
}

export function formManageScope(actor: Actor): SQL {
  if (actor.role === 'admin') return sql`true`;
  if (atLeast(actor.role, 'manager')) return personInScope(feedbackForms.ownerId, actor);
  return eq(feedbackForms.ownerId, actor.personId);
}
