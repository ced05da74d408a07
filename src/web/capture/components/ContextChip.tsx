import { hrefOf } from '../lib/routes.ts';
import type { CheckIn } from '../storage.ts';

/** Where the advocate is checked in; tapping it opens the Context tab to change it. */
export function ContextChip({ checkIn, compact = false }: { checkIn: CheckIn; compact?: boolean }) {
  const label =
    checkIn.eventId === null
      ? 'No event'
      : [checkIn.eventName ?? 'Event', checkIn.sessionTitle].filter((part) => part !== null).join(' · ');
  return (
    <a
      className={`context-chip${compact ? ' context-chip--compact' : ''}${checkIn.eventId === null ? ' context-chip--none' : ''}`}
      href={hrefOf('context')}
      aria-label={
        checkIn.eventId === null ? 'Not checked in to an event — check in' : `Checked in: ${label} — change`
      }
      data-testid="context-chip"
    >
      <svg className="context-chip__pin" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 2a7 7 0 0 0-7 7c0 5.25 7 13 7 13s7-7.75 7-13a7 7 0 0 0-7-7zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z"
        />
      </svg>
      <span className="context-chip__label">{label}</span>
    </a>
  );
}
