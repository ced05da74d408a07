import type { Evidence, GateStatus } from '../../../contract/api/readiness.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { AttestationRow } from './readiness.repo.ts';

/** What every gate evaluator reads: live state through the owning modules, at one instant. */
export interface GateContext {
  db: Db;
  now: Date;
  config: Config;
  attestations: ReadonlyMap<string, AttestationRow>;
}

export interface GateOutcome {
  status: GateStatus;
  reason: string;
  evidence: Evidence;
}

export type GateEvaluator = (ctx: GateContext) => Promise<GateOutcome>;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** "3 days", "5 hours", "12 minutes": how long ago, for reasons people read. */
export function ago(from: Date, now: Date): string {
  const ms = Math.max(0, now.getTime() - from.getTime());
  if (ms < 2 * HOUR) return `${Math.round(ms / MINUTE)} minutes`;
  if (ms < 2 * DAY) return `${Math.round(ms / HOUR)} hours`;
  return `${Math.round(ms / DAY)} days`;
}

export const pass = (reason: string, evidence: Evidence = {}): GateOutcome => ({
  status: 'pass',
  reason,
  evidence,
});
export const warn = (reason: string, evidence: Evidence = {}): GateOutcome => ({
  status: 'warn',
  reason,
  evidence,
});
export const fail = (reason: string, evidence: Evidence = {}): GateOutcome => ({
  status: 'fail',
  reason,
  evidence,
});

/** GET a JSON document with a deadline; never throws (the gate reports what went wrong). */
export async function fetchJson(
  url: string,
  timeoutMs: number,
): Promise<
  { ok: true; status: number; body: unknown } | { ok: false; status: number | null; error: string }
> {
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, status: res.status, error: `answered HTTP ${res.status}` };
    }
    return { ok: true, status: res.status, body: (await res.json()) as unknown };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    return {
      ok: false,
      status: null,
      error:
        name === 'TimeoutError' || name === 'AbortError'
          ? `did not answer within ${timeoutMs} ms`
          : err instanceof SyntaxError
            ? 'did not answer JSON'
            : 'could not be reached',
    };
  }
}
