interface TopBarProps {
  firstName: string;
  /** Insights waiting on this device: shown as a small count beside the name. */
  pending: number;
  onSignOut: () => void;
  signingOut: boolean;
}

export function TopBar({ firstName, pending, onSignOut, signingOut }: TopBarProps) {
  return (
    <header className="top-bar">
      <span className="top-bar__app">Builder Insights</span>
      {pending > 0 && (
        <span className="top-bar__pending" title="Saved on this device, waiting to sync">
          {pending} to sync
        </span>
      )}
      <a className="top-bar__person" href="/admin/profile" title="Your profile, sessions and tokens">
        {firstName}
      </a>
      <button type="button" className="button button--quiet" onClick={onSignOut} disabled={signingOut}>
        Sign out
      </button>
    </header>
  );
}
