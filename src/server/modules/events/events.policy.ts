import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

export type EventAction = 'read';

/**
 * The one place event permissions are decided. Every signed-in role reads the event calendar: it carries no
 * insight data, and advocates need it for the capture picker. Managing events (managers and admins, within
 * scope) arrives with the program-operations issue and is decided here too.
 */
export function authorizeEvent(actor: Actor, action: EventAction): void {
  if (action === 'read') return;
  throw new ForbiddenError(`Your role (${actor.role}) cannot ${action} events.`);
}
