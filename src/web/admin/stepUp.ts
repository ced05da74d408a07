import { useSyncExternalStore } from 'react';
import { type ApiError, isStepUpRequired } from '../ui/api.ts';

/**
 * The one place a "Step-up required" answer is handled: every query and mutation error passes through
 * noteError (wired into the QueryClient), and StepUpBanner shows the latest one with "Verify it's you".
 * After the re-authentication the browser comes back to the same page and the person repeats the action.
 */
export interface StepUpRequired {
  error: ApiError;
  /** The page it happened on: the banner belongs to that page only. */
  pathname: string;
}

let required: StepUpRequired | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function noteError(error: unknown): void {
  if (!isStepUpRequired(error)) return;
  required = { error, pathname: window.location.pathname };
  emit();
}

export function useStepUpRequired(): StepUpRequired | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => required,
  );
}
