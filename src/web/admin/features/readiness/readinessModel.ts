import type { GateStatus, ReadinessReport, Verdict } from '../../../../contract/api/readiness.ts';

/** Presentation of the readiness model (no React): badge colours, words, the snapshot-vs-live diff, dates. */
export const STATUS_LABEL: Record<GateStatus, string> = { pass: 'Pass', warn: 'Warn', fail: 'Fail' };
export const STATUS_VARIANT = { pass: 'green', warn: 'yellow', fail: 'red' } as const;
export const VERDICT_VARIANT: Record<Verdict, 'success' | 'warning' | 'danger'> = {
  go: 'success',
  go_with_known_issues: 'warning',
  no_go: 'danger',
};
export const TRIGGER_LABEL = {
  api: 'Admin page / API',
  cli: 'bi readiness',
  job: 'Scheduled job',
  package: 'Audience package',
} as const;
export const RECORD_KIND_LABEL = {
  deployment_verification: 'Deployment verification',
  rollback_drill: 'Rollback drill',
} as const;

export interface GateChange {
  id: string;
  title: string;
  /** null: the gate did not exist on that side. */
  was: GateStatus | null;
  is: GateStatus | null;
}

function statuses(report: ReadinessReport): Map<string, { title: string; status: GateStatus }> {
  const byId = new Map<string, { title: string; status: GateStatus }>();
  for (const block of report.blocks)
    for (const gate of block.gates) byId.set(gate.id, { title: gate.title, status: gate.status });
  return byId;
}

/** The gates whose status differs between a snapshot (then) and the live report (now), in the snapshot's order. */
export function gateChanges(then: ReadinessReport, now: ReadinessReport): GateChange[] {
  const before = statuses(then);
  const after = statuses(now);
  const changes: GateChange[] = [];
  for (const [id, gate] of before) {
    const current = after.get(id);
    if (current?.status !== gate.status)
      changes.push({ id, title: gate.title, was: gate.status, is: current?.status ?? null });
  }
  for (const [id, gate] of after)
    if (!before.has(id)) changes.push({ id, title: gate.title, was: null, is: gate.status });
  return changes;
}

const DAY = 86_400_000;
export const ATTESTATION_MAX_DAYS = 366;

/** "2026-03-05" of a moment, in local time. */
export function localDay(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

export function dayOffset(days: number, now = new Date()): string {
  return localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() + days));
}

/**
 * The moment an attestation lapses for a picked day: the end of that local day, kept inside the server's limit
 * (at most ATTESTATION_MAX_DAYS ahead); null when the day is not tomorrow or later.
 */
export function expiryMoment(day: string, now = new Date()): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null || day < dayOffset(1, now) || day > dayOffset(ATTESTATION_MAX_DAYS, now)) return null;
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 0);
  if (Number.isNaN(end.getTime())) return null;
  return new Date(Math.min(end.getTime(), now.getTime() + ATTESTATION_MAX_DAYS * DAY - 3_600_000));
}

/** "2026-03-05T14:05" for a datetime-local input, in local time. */
export function localDateTime(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${localDay(moment)}T${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

/** An http(s) URL, as the API accepts it. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
