import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage, loginUrl, NetworkError } from '../ui/api.ts';
import { loadMe } from '../ui/session.ts';
import { CaptureScreen } from './CaptureScreen.tsx';
import { SessionBanner } from './components/SessionBanner.tsx';
import { markSessionEnded, recallWho, rememberWho, type Who } from './connection.ts';
import * as outbox from './outbox.ts';
import { themeVars } from './theme.ts';

type Load =
  | { state: 'loading' }
  | { state: 'ready'; who: Who; live: boolean }
  | { state: 'signed-out'; waiting: number }
  | { state: 'failed'; message: string };

/**
 * Loads who is signed in, then shows the capture screen. Without a session and with nothing waiting on the
 * device, it goes straight to sign-in. With insights waiting it never leaves on its own: it keeps capturing
 * (as the person who captured here last) and asks them to sign in so the outbox can sync. Unreachable server:
 * the same, working from the device.
 */
export function App() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  const start = useCallback(() => {
    setLoad({ state: 'loading' });
    loadMe({ redirectOnUnauthorized: false })
      .then((me) => {
        rememberWho(me);
        setLoad({ state: 'ready', who: me, live: true });
      })
      .catch((error: unknown) => {
        const unauthorized = error instanceof ApiError && error.status === 401;
        const waiting = outbox.count();
        if (unauthorized && waiting === 0) {
          window.location.assign(loginUrl('/capture/'));
          return;
        }
        const who = recallWho();
        if ((unauthorized || error instanceof NetworkError) && who !== null) {
          if (unauthorized) markSessionEnded();
          setLoad({ state: 'ready', who, live: false });
        } else if (unauthorized) {
          setLoad({ state: 'signed-out', waiting });
        } else {
          setLoad({ state: 'failed', message: errorMessage(error) });
        }
      });
  }, []);

  useEffect(start, [start]);

  return (
    <div className="app" style={themeVars}>
      {load.state === 'ready' && <CaptureScreen who={load.who} live={load.live} />}
      {load.state === 'loading' && (
        <p className="page page--center" aria-live="polite">
          Loading…
        </p>
      )}
      {load.state === 'signed-out' && (
        <main className="page">
          <SessionBanner pending={load.waiting} />
        </main>
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
