import { useCallback, useState } from 'react';
import { errorMessage, isRedirectingToLogin } from './api.ts';
import { signOut } from './session.ts';

/** Sign-out for either app: a busy flag while the server ends the session, and the error if it could not. */
export function useSignOut() {
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = useCallback((whenEnded?: () => void) => {
    setSigningOut(true);
    setError(null);
    signOut(whenEnded).catch((cause: unknown) => {
      setSigningOut(false);
      if (!isRedirectingToLogin()) setError(errorMessage(cause));
    });
  }, []);
  return { signingOut, error, signOut: start };
}
