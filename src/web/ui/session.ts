import type { Me } from '../../contract/api/me.ts';
import { api, type RequestOptions, setCsrfToken } from './api.ts';

/** Who is signed in, their role and scope, and the CSRF token for state-changing requests. */
export async function loadMe(options?: RequestOptions): Promise<Me> {
  const me = await api.get<Me>('/api/v1/me', {}, options);
  setCsrfToken(me.csrfToken);
  return me;
}

/**
 * Ends the server session, then follows the server to the identity provider's end-session page (or /).
 * `whenEnded` runs once the server has ended the session and before leaving (e.g. the capture app forgets
 * who used the device); it does not run when the sign-out failed, so nothing is forgotten too early.
 */
export async function signOut(whenEnded?: () => void): Promise<void> {
  const result = await api.post<{ redirectTo: string }>('/auth/logout', {});
  whenEnded?.();
  window.location.assign(result.redirectTo || '/');
}

/** "Ada" from "Ada Lovelace"; the whole name when it has no space. */
export function firstName(name: string): string {
  const trimmed = name.trim();
  return trimmed.split(/\s+/)[0] ?? trimmed;
}
