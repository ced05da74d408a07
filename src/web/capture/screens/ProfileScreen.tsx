import { useState } from 'react';
import { dateTime } from '../../ui/format.ts';
import { ConflictBanner } from '../components/ConflictBanner.tsx';
import { OutboxList } from '../components/OutboxList.tsx';
import { plural, type SyncWords } from '../lib/sync-words.ts';
import { syncNow } from '../offline/sync.ts';
import type { OutboxView, SyncStatus } from '../offline/types.ts';
import { APP_VERSION } from '../offline/version.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

interface ProfileScreenProps {
  name: string;
  email: string | null;
  roleLabel: string;
  view: OutboxView;
  drafts: number;
  status: SyncStatus;
  words: SyncWords;
  sessionEnded: boolean;
  onReport: () => void;
  onSignOut: () => void;
  signingOut: boolean;
  signOutError: string | null;
}

/** Who I am, what is still only on this device (with Retry/Discard), Sync now, version, report, sign out. */
export function ProfileScreen(props: ProfileScreenProps) {
  const { view, status, words } = props;
  const [syncing, setSyncing] = useState(false);
  const mine = [...view.attention, ...view.conflicts, ...view.pending];

  const sync = () => {
    setSyncing(true);
    void syncNow()
      .catch(() => undefined)
      .finally(() => setSyncing(false));
  };

  return (
    <>
      <ScreenTitle>Profile</ScreenTitle>
      <section className="who" aria-label="You">
        <p className="who__name">{props.name}</p>
        <p className="who__meta">
          {props.roleLabel}
          {props.email !== null ? ` · ${props.email}` : ''}
        </p>
      </section>

      <ConflictBanner conflicts={view.conflicts} tab="profile" />

      <section aria-labelledby="sync-heading">
        <h2 id="sync-heading">Sync</h2>
        <p className={`sync-state sync-state--${words.tone}`} role="status" data-testid="sync-state">
          {words.text}
        </p>
        {status.lastError !== null && status.state !== 'signed_out' && (
          <p className="note">Last problem: {status.lastError}</p>
        )}
        {status.lastSyncedAt !== null && (
          <p className="note">Last synced {dateTime(new Date(status.lastSyncedAt).toISOString())}</p>
        )}
        {!props.sessionEnded && (
          <button
            type="button"
            className="button button--secondary"
            onClick={sync}
            disabled={syncing || status.state === 'syncing'}
          >
            {syncing || status.state === 'syncing' ? 'Syncing…' : 'Sync now'}
          </button>
        )}
        <OutboxList items={mine} />
        {props.drafts > 0 && (
          <p className="note">
            {plural(props.drafts, 'voice draft')} {props.drafts === 1 ? 'waits' : 'wait'} for text on this
            device (see Capture).
          </p>
        )}
        {view.others.map((other) => (
          <p key={other.id} className="note">
            {plural(other.count, 'item')} saved here by {other.name} will sync when {other.name} signs in on
            this device.
          </p>
        ))}
      </section>

      <section aria-labelledby="app-heading">
        <h2 id="app-heading">App</h2>
        <p className="note" data-testid="app-version">
          Version {APP_VERSION}
        </p>
        <div className="stack">
          <button type="button" className="button button--secondary" onClick={props.onReport}>
            Report a problem
          </button>
          {props.signOutError !== null && (
            <p role="alert" className="feedback feedback--error">
              Sign out failed: {props.signOutError}
            </p>
          )}
          <button
            type="button"
            className="button button--quiet"
            onClick={props.onSignOut}
            disabled={props.signingOut}
          >
            Sign out
          </button>
        </div>
      </section>
    </>
  );
}
