/**
 * Session times are entered and shown as wall-clock times in the event's time zone (a session at 09:00 in
 * Berlin is 09:00 whoever edits it), and stored as instants. No time zone library: Intl knows every zone's
 * offset, which is all the conversion needs. Without a zone the browser's own is used.
 */

function zoneOrLocal(timeZone: string | null): string | undefined {
  if (timeZone === null || timeZone === '') return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** The wall-clock parts of an instant in a zone. */
function partsIn(instant: number, timeZone: string | undefined) {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(instant: number, timeZone: string | undefined): number {
  const p = partsIn(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/** "2026-03-12T09:00" (a datetime-local value) in the zone → ISO instant; null for an empty or bad value. */
export function wallToIso(local: string, timeZone: string | null): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (match === null) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as number[];
  const zone = zoneOrLocal(timeZone);
  const asUtc = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
  // The offset at the guess, then again at the corrected instant (they differ only around a DST change).
  let instant = asUtc - offsetAt(asUtc, zone);
  instant = asUtc - offsetAt(instant, zone);
  return new Date(instant).toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant → the datetime-local value of its wall-clock time in the zone ('' for null). */
export function isoToWall(iso: string | null, timeZone: string | null): string {
  if (iso === null) return '';
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return '';
  const p = partsIn(instant, zoneOrLocal(timeZone));
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** "12 Mar 2026, 09:00" in the event's zone. */
export function showInZone(iso: string, timeZone: string | null): string {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: zoneOrLocal(timeZone),
  }).format(value);
}

/** Every IANA zone the browser knows (the time zone field's suggestions). */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}
