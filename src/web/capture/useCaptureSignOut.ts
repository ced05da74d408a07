import { useCallback, useState } from 'react';
import { api, errorMessage, isRedirectingToLogin } from '../ui/api.ts';
import { forgetWho } from './connection.ts';
import { plural } from './lib/sync-words.ts';
import { sealDeviceStorage } from './offline/cache.ts';
import { clearOnSignOut, type LeftOnDevice, leftOnDevice } from './offline/retention.ts';
import { syncNow } from './offline/sync.ts';
import { loadKept } from './storage.ts';

/** How long sign-out waits for a last sync before it asks (a hung network must not hold the button). */
const LAST_SYNC_MS = 8_000;

/** Typed on the Capture form or in quick capture and not saved yet (both are cleared on sign-out). */
function unsavedText(personId: string): boolean {
  const form = loadKept(`bi.capture.form.${personId}`) as { form?: { text?: unknown } } | null;
  const quick = loadKept(`bi.capture.quick.${personId}`);
  const typed = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  return typed(form?.form?.text) || typed(quick);
}

/** The confirm text before sign-out, or null when nothing of this person's would be kept or deleted. */
export function signOutWarning(left: LeftOnDevice, hasUnsavedText: boolean): string | null {
  const lines: string[] = [];
  const { unsynced, drafts } = left;
  if (unsynced > 0)
    lines.push(
      `${plural(unsynced, 'item')} ${unsynced === 1 ? "hasn't" : "haven't"} synced yet. They stay on this device and sync when you sign in here again.`,
    );
  if (drafts > 0)
    lines.push(
      `${plural(drafts, 'voice draft')} without text will be deleted from this device, with ${drafts === 1 ? 'its recording' : 'their recordings'}.`,
    );
  if (hasUnsavedText) lines.push('The unsaved text on the Capture form will be cleared.');
  return lines.length === 0 ? null : `${lines.join(' ')} Sign out anyway?`;
}

async function withLimit(promise: Promise<unknown>, ms: number): Promise<void> {
  await Promise.race([promise.catch(() => undefined), new Promise((done) => setTimeout(done, ms))]);
}

/**
 * Capture's sign-out: one last sync, a warning about what stays (unsynced items) and what goes (drafts, unsaved
 * text), then the server ends the session, and only then is the device cleared (offline/retention.ts) and the
 * page leaves. A sign-out that fails (offline) changes nothing on the device: the person is still signed in.
 */
export function useCaptureSignOut(personId: string) {
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const signOut = useCallback(
    async (sessionEnded: boolean) => {
      setSigningOut(true);
      setError(null);
      if (!sessionEnded) await withLimit(syncNow(), LAST_SYNC_MS);
      const left = await leftOnDevice(personId).catch(() => ({ unsynced: 0, drafts: 0 }));
      const warning = signOutWarning(left, unsavedText(personId));
      if (warning !== null && !window.confirm(warning)) {
        setSigningOut(false);
        return;
      }
      let redirectTo = '/';
      if (!sessionEnded) {
        try {
          const result = await api.post<{ redirectTo: string }>('/auth/logout', {});
          redirectTo = result.redirectTo || '/';
        } catch (cause) {
          setSigningOut(false);
          if (!isRedirectingToLogin()) setError(errorMessage(cause));
          return;
        }
      }
      sealDeviceStorage();
      await withLimit(clearOnSignOut(personId), 3_000);
      forgetWho();
      window.location.assign(redirectTo);
    },
    [personId],
  );

  return { signingOut, error, signOut };
}
