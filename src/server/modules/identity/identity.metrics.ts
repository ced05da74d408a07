import type { SessionEndReason, SignInFailureReason } from '../../../contract/audit-events.ts';
import { counter } from '../../observability/metrics.ts';

/**
 * Sign-in, step-up, session and global-logout outcomes as process metrics (Prometheus, per replica). Each is
 * counted where its audit event is written, once the transaction that writes it has committed where the code
 * allows, so the metric and the audit log tell the same story. Label values come from the audit catalog's fixed
 * lists (SIGN_IN_FAILURE_REASONS, SESSION_END_REASONS), never from a request.
 */
export const signIns = counter(
  'bi_auth_sign_ins_total',
  'SSO sign-in outcomes (auth.sign_in.succeeded / auth.sign_in.failed), by outcome and reason (ok on success).',
);
export const stepUps = counter(
  'bi_auth_step_ups_total',
  'Step-up (re-authentication) flows, by outcome (success, failure).',
);
export const sessionsEnded = counter(
  'bi_auth_sessions_ended_total',
  'Sessions ended before they expired (auth.session.ended), by reason.',
);
export const globalLogouts = counter(
  'bi_auth_global_logouts_total',
  'Accepted global logouts from the identity provider, by mechanism (universal_logout, backchannel_logout).',
);

export function countSignIn(result: { ok: true } | { ok: false; reason: SignInFailureReason }): void {
  if (result.ok) signIns.inc({ outcome: 'success', reason: 'ok' });
  else signIns.inc({ outcome: 'failure', reason: result.reason });
}

export function countStepUp(outcome: 'success' | 'failure'): void {
  stepUps.inc({ outcome });
}

export function countSessionsEnded(reason: SessionEndReason, count = 1): void {
  if (count > 0) sessionsEnded.inc({ reason }, count);
}

export function countGlobalLogout(mechanism: 'universal_logout' | 'backchannel_logout'): void {
  globalLogouts.inc({ mechanism });
}
