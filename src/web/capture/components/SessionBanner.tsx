/** Where "Sign in" goes: back to capture, where the outbox then syncs. */
export const SIGN_IN_URL = `/auth/login?returnTo=${encodeURIComponent('/capture/')}`;

const insights = (count: number) => `${count} saved insight${count === 1 ? '' : 's'}`;

/**
 * The session has ended (expired, signed out elsewhere, ended by an admin). Capture keeps working into the
 * outbox; this asks the person to sign in when it suits them, and says what is waiting.
 */
export function SessionBanner({ pending }: { pending: number }) {
  return (
    <div role="alert" className="session-banner" data-testid="session-banner">
      <p>
        {pending > 0
          ? `Your session has ended — sign in to sync ${insights(pending)}.`
          : 'Your session has ended — sign in to keep syncing. Anything you save meanwhile stays on this device.'}
      </p>
      <a className="button button--primary session-banner__action" href={SIGN_IN_URL}>
        Sign in
      </a>
    </div>
  );
}
