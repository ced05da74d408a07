import { useCallback, useEffect, useState } from 'react';

/**
 * useState mirrored to sessionStorage (this tab only): a form's draft survives the round trip through
 * "Verify it's you" when a privileged action answers "Step-up required". Never use it for secrets.
 */
const PREFIX = 'bi.admin.draft.';

/** A stored draft, or `initial` when there is none or it is not valid any more. */
export function readDraft<T>(key: string, initial: T, valid: (value: unknown) => value is T): T {
  try {
    const stored = window.sessionStorage.getItem(PREFIX + key);
    if (stored === null) return initial;
    const value: unknown = JSON.parse(stored);
    return valid(value) ? value : initial;
  } catch {
    return initial;
  }
}

/** Store a draft; `undefined` forgets it. */
export function writeDraft(key: string, value: unknown): void {
  try {
    if (value === undefined) window.sessionStorage.removeItem(PREFIX + key);
    else window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or unavailable: the draft lives in the page only.
  }
}

/**
 * [value, set, clear]. Stored while it differs from `initial` (a draft), forgotten when it is back to it;
 * clear() goes back to `initial`.
 */
export function useSessionState<T>(
  key: string,
  initial: T,
  valid: (value: unknown) => value is T,
): [T, (next: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => readDraft(key, initial, valid));
  const initialText = JSON.stringify(initial);
  useEffect(() => {
    writeDraft(key, JSON.stringify(value) === initialText ? undefined : value);
  }, [key, value, initialText]);
  const clear = useCallback(() => setValue(JSON.parse(initialText) as T), [initialText]);
  return [value, setValue, clear];
}

export const isString = (value: unknown): value is string => typeof value === 'string';

/** A plain object whose listed keys are strings (form drafts). */
export function stringRecord<K extends string>(...keys: K[]) {
  return (value: unknown): value is Record<K, string> =>
    typeof value === 'object' &&
    value !== null &&
    keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string');
}

/** Whether a draft is stored for `key` (a form reopens itself after the step-up round trip). */
export function hasSessionDraft(key: string): boolean {
  try {
    return window.sessionStorage.getItem(PREFIX + key) !== null;
  } catch {
    return false;
  }
}
