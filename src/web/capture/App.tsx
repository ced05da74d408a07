import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage, loginUrl, NetworkError } from '../ui/api.ts';
import { loadMe } from '../ui/session.ts';
import { SessionBanner } from './components/SessionBanner.tsx';
import { markSessionEnded, recallWho, rememberWho, type Who } from './connection.ts';
import { captureDb } from './offline/db.ts';
import { importLegacyOutbox } from './offline/legacy.ts';
import { applyRetention, forgetOtherPeople } from './offline/retention.ts';
import { Shell } from './Shell.tsx';
import { NO_CHECK_IN, setCheckIn } from './storage.ts';
import { themeVars } from './theme.ts';

type Load =
  | { state: 'loading' }
  | { state: 'ready'; who: Who; email: string | null }
  | { state: 'signed-out'; waiting: number }
  | { state: 'failed'; message: string };

/** Everything waiting on this device, whoever it belongs to (0 when the device storage can't be read). */
async function itemsOnDevice(): Promise<number> {
  try {
    return (await captureDb().outbox.count()) + (await captureDb().drafts.count());
  } catch {
    return 0;
  }
}

/** Bounded: a database blocked by another tab's upgrade must not keep the app on "Loading…". */
const bounded = (work: Promise<unknown>) =>
  Promise.race([work.catch(() => undefined), new Promise((done) => setTimeout(done, 3000))]);

/**
 * The device now stands for `personId`: nothing cached for the person before (or anyone else) may be shown
 * (offline/retention.ts). Their unsynced items and drafts stay, shown to others as counts only.
 */
async function becomeDeviceOf(personId: string): Promise<void> {
  const previous = recallWho()?.person.id ?? null;
  await bounded(forgetOtherPeople(personId, previous));
  if (previous !== personId) setCheckIn(NO_CHECK_IN);
}

/**
 * Loads who is signed in, then shows the app. The previous version's outbox is moved into IndexedDB first, so
 * the first view already counts it, and expired cached reads and drafts are dropped. Without a session and with nothing waiting on the device, it goes
 * straight to sign-in. Otherwise it never leaves on its own: it keeps capturing (as the person who captured
 * here last) and asks them to sign in so the outbox can sync. Unreachable server: the same, from the device.
 */
export function App() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  const start = useCallback(() => {
    setLoad({ state: 'loading' });
    void (async () => {
      // Short retention: week-old cached reads and voice drafts go before anything is shown.
      await bounded(Promise.all([importLegacyOutbox(), applyRetention()]));
      try {
        const me = await loadMe({ redirectOnUnauthorized: false });
        await becomeDeviceOf(me.person.id);
        rememberWho(me);
        setLoad({ state: 'ready', who: me, email: me.person.email });
      } catch (error) {
        const unauthorized = error instanceof ApiError && error.status === 401;
        // No answer, or a gateway/server error (a venue proxy with the backend away): work from the device.
        const unreachable =
          error instanceof NetworkError ||
          (error instanceof ApiError &&
            (error.status >= 500 || error.status === 408 || error.status === 429));
        const who = recallWho();
        if ((unauthorized || unreachable) && who !== null) {
          if (unauthorized) markSessionEnded();
          await becomeDeviceOf(who.person.id);
          setLoad({ state: 'ready', who, email: null });
          return;
        }
        if (!unauthorized) {
          setLoad({ state: 'failed', message: errorMessage(error) });
          return;
        }
        const waiting = await itemsOnDevice();
        if (waiting === 0) window.location.assign(loginUrl(`/capture/${window.location.hash}`));
        else setLoad({ state: 'signed-out', waiting });
      }
    })();
  }, []);

  useEffect(start, [start]);

  return (
    <div className="app" style={themeVars}>
      {load.state === 'ready' && <Shell who={load.who} email={load.email} />}
      {load.state === 'loading' && (
        <p className="page page--center" aria-live="polite">
          Loading…
        </p>
      )}
      {load.state === 'signed-out' && (
        <main className="page">
          <SessionBanner waiting={load.waiting} />
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
