import type { TelemetryKind } from '../../../contract/api/telemetry.ts';
import { LIMITS } from '../../../contract/limits.ts';
import { type CaptureDb, captureDb } from './db.ts';
import type { TelemetryRecord } from './types.ts';

/**
 * Capture telemetry (definitions in src/contract/api/telemetry.ts): recorded on the device, sent in batches
 * by the sync loop. Measuring must never cost the person anything: no await at the call site, nothing thrown,
 * and the table is capped so a device that never syncs does not fill up with numbers.
 */
export const TELEMETRY_CAP = 2_000;

function cleanAttrs(attrs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs).slice(0, LIMITS.telemetryAttrs)) {
    out[key.slice(0, 40)] = String(value).slice(0, LIMITS.telemetryAttrValue);
  }
  return out;
}

export interface TelemetryInput {
  kind: TelemetryKind;
  value: number;
  attrs?: Record<string, string>;
}

/** Store events in one transaction; when the table is over the cap, the oldest go first. Never throws. */
export async function storeTelemetry(db: CaptureDb, events: TelemetryInput[]): Promise<void> {
  if (events.length === 0) return;
  const at = new Date().toISOString();
  const records: TelemetryRecord[] = events.map((event) => ({
    id: crypto.randomUUID(),
    kind: event.kind,
    value: Number.isFinite(event.value) ? Math.min(Math.max(event.value, 0), 1e9) : 0,
    attrs: cleanAttrs(event.attrs ?? {}),
    at,
  }));
  try {
    await db.transaction('rw', db.telemetry, async () => {
      await db.telemetry.bulkAdd(records);
      const over = (await db.telemetry.count()) - TELEMETRY_CAP;
      if (over > 0) await db.telemetry.orderBy('at').limit(over).delete();
    });
  } catch {
    // Telemetry is best effort.
  }
}

/** Fire and forget: record a measurement. */
export function recordTelemetry(kind: TelemetryKind, value: number, attrs?: Record<string, string>): void {
  try {
    void storeTelemetry(captureDb(), [{ kind, value, ...(attrs === undefined ? {} : { attrs }) }]);
  } catch {
    // No IndexedDB at all: nothing to record into.
  }
}
