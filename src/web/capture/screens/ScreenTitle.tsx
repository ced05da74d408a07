import type { ReactNode } from 'react';

/** The screen's heading; the shell moves focus here when the tab changes (screen readers hear where they are). */
export function ScreenTitle({ children }: { children: ReactNode }) {
  return (
    <h1 id="screen-title" className="screen-title" tabIndex={-1}>
      {children}
    </h1>
  );
}
