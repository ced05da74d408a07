import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

export type TelemetryAction = 'send' | 'summarize';

/**
 * The one place telemetry permissions are decided. Everyone who uses the capture app sends its telemetry
 * (viewers too: the app runs for them); the summary across everyone's devices is for admins.
 */
export function authorizeTelemetry(actor: Actor, action: TelemetryAction): void {
  if (action === 'send') return;
  if (actor.role === 'admin') return;
  throw new ForbiddenError('Only admins can read the capture-app telemetry summary.');
}
