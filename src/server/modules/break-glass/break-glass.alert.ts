import { counter } from '../../observability/metrics.ts';

export const breakGlassUses = counter('bi_break_glass_uses_total', 'Break-glass sessions opened, by mode.');
export const breakGlassFailures = counter(
  'bi_break_glass_sign_in_failures_total',
  'Refused break-glass sign-in attempts, by reason.',
);

export interface AlertLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BreakGlassUseAlert {
  useId: string;
  principal: string;
  mode: 'idp_unreachable' | 'approved';
  reason: string;
  startedAt: Date;
  endsAt: Date;
  ip: string;
}

const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * Every break-glass use raises an alert three ways: a metric, a warn-level log line with
 * `alert: "break_glass_used"` (what log-based alerting matches on), and, when configured, a JSON POST to
 * BREAK_GLASS_WEBHOOK_URL (5 s timeout). A failing webhook is logged, never thrown: the session is already
 * open and the other two signals have fired. Resolves when the webhook call has finished.
 */
export async function alertBreakGlassUse(
  log: AlertLog,
  webhookUrl: string | undefined,
  use: BreakGlassUseAlert,
  publicUrl: string,
): Promise<void> {
  breakGlassUses.inc({ mode: use.mode });
  const payload = {
    alert: 'break_glass_used',
    useId: use.useId,
    principal: use.principal,
    mode: use.mode,
    reason: use.reason,
    startedAt: use.startedAt.toISOString(),
    endsAt: use.endsAt.toISOString(),
    ip: use.ip,
    review: `${publicUrl.replace(/\/$/, '')}/admin/`,
  };
  log.warn(payload, `ALERT: break-glass session opened by ${use.principal} (${use.mode})`);
  if (!webhookUrl) return;
  try {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      redirect: 'error',
    });
    await response.body?.cancel();
    if (!response.ok)
      log.error({ status: response.status, useId: use.useId }, 'break-glass alert webhook refused the alert');
  } catch (err) {
    log.error({ err, useId: use.useId }, 'break-glass alert webhook failed');
  }
}
