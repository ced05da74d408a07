import { ForbiddenError } from '../../errors.ts';
import type { Actor } from '../identity/actor.ts';

export type AnalyticsAction = 'read' | 'record_view';

/**
 * The one place product-analytics permissions are decided. The analytics (everyone's usage, by person-level
 * facts) are for admins. Announcing a report view is about the caller's own use: anyone signed in (the pages
 * that announce it decide who sees them).
 */
export function authorizeAnalytics(actor: Actor, action: AnalyticsAction): void {
  if (action === 'record_view') return;
  if (actor.role === 'admin') return;
  throw new ForbiddenError('Only admins can read the product analytics.');
}
