interface TopBarProps {
  firstName: string;
  onSignOut: () => void;
  signingOut: boolean;
}

export function TopBar({ firstName, onSignOut, signingOut }: TopBarProps) {
  return (
    <header className="top-bar">
      <span className="top-bar__app">Builder Insights</span>
      <span className="top-bar__person" title="Signed in">
        {firstName}
      </span>
      <button type="button" className="button button--quiet" onClick={onSignOut} disabled={signingOut}>
        Sign out
      </button>
    </header>
  );
}
