import { WEEKDAYS, type Weekday } from '../../config.ts';

const DAY_MS = 86_400_000;

export interface DigestWeek {
  /** Monday, YYYY-MM-DD (UTC). */
  start: string;
  /** Sunday, YYYY-MM-DD (UTC). */
  end: string;
  previousStart: string;
  previousEnd: string;
  label: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Midnight UTC of the Monday of the ISO week containing `now`. */
export function mondayOf(now: Date): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return midnight - ((now.getUTCDay() + 6) % 7) * DAY_MS;
}

/** The full ISO week (Mon–Sun, UTC) before the week containing `now`, and the week before that. */
export function previousWeek(now: Date): DigestWeek {
  const start = mondayOf(now) - 7 * DAY_MS;
  const end = start + 6 * DAY_MS;
  const fmt = (ms: number) =>
    new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return {
    start: day(start),
    end: day(end),
    previousStart: day(start - 7 * DAY_MS),
    previousEnd: day(start - DAY_MS),
    label: `Week of ${fmt(start)} – ${fmt(end)} ${new Date(end).getUTCFullYear()}`,
  };
}

/** When this week's scheduled digest becomes due: the configured weekday and hour (UTC) of the current ISO week. */
export function dueAt(now: Date, sendDay: Weekday, sendHourUtc: number): Date {
  return new Date(mondayOf(now) + WEEKDAYS.indexOf(sendDay) * DAY_MS + sendHourUtc * 3_600_000);
}
