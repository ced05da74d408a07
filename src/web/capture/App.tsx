import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../contract/api/me.ts';
import { errorMessage, isRedirectingToLogin } from '../ui/api.ts';
import { loadMe } from '../ui/session.ts';
import { CaptureScreen } from './CaptureScreen.tsx';
import { themeVars } from './theme.ts';

type Load = { state: 'loading' } | { state: 'ready'; me: Me } | { state: 'failed'; message: string };

/** Loads who is signed in (a 401 sends the browser to sign in), then shows the capture screen. */
export function App() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  const start = useCallback(() => {
    setLoad({ state: 'loading' });
    loadMe()
      .then((me) => setLoad({ state: 'ready', me }))
      .catch((error: unknown) => {
        if (isRedirectingToLogin()) return;
        setLoad({ state: 'failed', message: errorMessage(error) });
      });
  }, []);

  useEffect(start, [start]);

  return (
    <div className="app" style={themeVars}>
      {load.state === 'ready' && <CaptureScreen me={load.me} />}
      {load.state === 'loading' && (
        <p className="page page--center" aria-live="polite">
          Loading…
        </p>
      )}
      {load.state === 'failed' && (
        <div className="page page--center">
          <p role="alert" className="feedback feedback--error">
            {load.message}
          </p>
          <button type="button" className="button button--primary" onClick={start}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}
