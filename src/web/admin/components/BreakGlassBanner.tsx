import type { Me } from '../../../contract/api/me.ts';
import { clockTime } from '../../ui/format.ts';

/** Emergency access is never mistaken for an ordinary session: this shows on every page while it lasts. */
export function BreakGlassBanner({ session }: { session: Me['session'] }) {
  if (session.kind !== 'break_glass') return null;
  return (
    <div role="alert" className="break-glass-banner" data-testid="break-glass-banner">
      Emergency access (break-glass) — every action is recorded; ends at{' '}
      <time dateTime={session.absoluteExpiresAt}>{clockTime(session.absoluteExpiresAt)}</time>
    </div>
  );
}
