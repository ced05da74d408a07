import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

export type BugReportAction = 'submit' | 'list' | 'read' | 'triage';

/**
 * The one place bug-report permissions are decided. Anyone signed in can hit a bug, so anyone (viewers too)
 * submits one; reading reports (they hold other people's screenshots and device details) and triaging them is
 * admin work. Triage is routine, not a privileged (step-up) action.
 */
export function authorizeBugReports(actor: Actor, action: BugReportAction): void {
  if (action === 'submit') return;
  if (actor.role === 'admin') return;
  throw new ForbiddenError(`Only admins can ${action === 'triage' ? 'triage' : 'read'} bug reports.`);
}
