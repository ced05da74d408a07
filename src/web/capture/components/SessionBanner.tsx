import { loginUrl } from '../../ui/api.ts';
import { plural } from '../lib/sync-words.ts';

/**
 * The session has ended (expired, signed out elsewhere, ended by an admin). Capture keeps working into the
 * device's outbox; this asks the person to sign in when it suits them, and says what is waiting. Signing in
 * comes back to the same tab (the hash route travels in returnTo).
 */
export function SessionBanner({ waiting }: { waiting: number }) {
  const returnTo = `/capture/${window.location.hash || '#/home'}`;
  return (
    <div role="alert" className="banner banner--warn" data-testid="session-banner">
      <p>
        Your session ended — sign in again to sync.{' '}
        {waiting > 0
          ? `${plural(waiting, 'item')} ${waiting === 1 ? 'is' : 'are'} safe on this device.`
          : 'Anything you save meanwhile stays on this device.'}
      </p>
      <a className="button button--primary banner__action" href={loginUrl(returnTo)}>
        Sign in
      </a>
    </div>
  );
}
