import { EXCEPTION_MAX_DAYS } from '../../../../contract/api/access.ts';

/**
 * The expiry date picker: a local calendar day, from tomorrow to EXCEPTION_MAX_DAYS ahead. The access ends at
 * 00:00 of that day in the requester's time zone (never later than the server's limit).
 */
const DAY = 86_400_000;

/** "2026-03-05" of a moment, in local time. */
export function localDay(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

export function dayOffset(days: number, now = new Date()): string {
  const moment = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return localDay(moment);
}

/** The ISO moment the access ends for a picked day; null when the day is not a valid choice. */
export function expiryMoment(day: string, now = new Date()): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null || day < dayOffset(1, now) || day > dayOffset(EXCEPTION_MAX_DAYS, now)) return null;
  const moment = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(moment.getTime())) return null;
  // A daylight-saving change can put 00:00 of the last day a little past the limit: stay inside it.
  return new Date(Math.min(moment.getTime(), now.getTime() + EXCEPTION_MAX_DAYS * DAY - 60_000));
}
