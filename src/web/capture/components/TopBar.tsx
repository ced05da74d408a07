import { hrefOf } from '../lib/routes.ts';
import type { SyncTone } from '../lib/sync-words.ts';
import type { CheckIn } from '../storage.ts';
import { ContextChip } from './ContextChip.tsx';

interface TopBarProps {
  checkIn: CheckIn;
  /** My items still on the device (every state). */
  pending: number;
  online: boolean;
  tone: SyncTone;
  /** The sync state in words, for the indicator's accessible name. */
  syncText: string;
  onReport: () => void;
  /** Seconds recorded so far while a recording runs and the Capture tab is not shown; null otherwise. */
  recordingSeconds: number | null;
}

/** App name, where I am, whether everything is synced, and a way to report a problem from any screen. */
export function TopBar({
  checkIn,
  pending,
  online,
  tone,
  syncText,
  onReport,
  recordingSeconds,
}: TopBarProps) {
  return (
    <header className="top-bar">
      <div className="top-bar__row">
        <span className="top-bar__app">Builder Insights</span>
        <a
          className={`sync-indicator sync-indicator--${online ? tone : 'offline'}`}
          href={hrefOf('profile')}
          aria-label={`Sync: ${syncText}`}
          title={syncText}
          data-testid="sync-indicator"
          data-pending={pending}
        >
          {!online && <span className="sync-indicator__dot" aria-hidden="true" />}
          {pending > 0 ? (
            <span className="sync-indicator__count">{pending}</span>
          ) : (
            <span aria-hidden="true">✓</span>
          )}
        </a>
        <button type="button" className="top-bar__report" onClick={onReport}>
          Report<span className="visually-hidden"> a problem</span>
        </button>
      </div>
      <ContextChip checkIn={checkIn} compact />
      {recordingSeconds !== null && (
        <a className="top-bar__recording" href={hrefOf('capture')}>
          <span className="voice__dot" aria-hidden="true" /> Recording {Math.floor(recordingSeconds / 60)}:
          {String(recordingSeconds % 60).padStart(2, '0')} — back to Capture
        </a>
      )}
    </header>
  );
}
