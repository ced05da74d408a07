import { createHash } from 'node:crypto';
import type { EVENT_SORTS } from '../../../contract/api/events.ts';
import { ValidationError } from '../../errors.ts';

export type EventSort = (typeof EVENT_SORTS)[number];

/** Where the previous page ended: the sort key (start day, or the lower-cased name) and the id. */
export interface EventKeyset {
  key: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const invalid = (message: string) =>
  new ValidationError('The cursor does not continue this list.', [{ field: 'query.cursor', message }]);

/**
 * The filters a cursor was issued for, as a short digest: a cursor sent with other filters is refused (400)
 * instead of silently paging through another list.
 */
export function fingerprint(filter: Record<string, unknown>): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 12);
}

/** Opaque (base64url JSON), not secret: [sort, key, id, filter digest]. */
export function encodeCursor(sort: EventSort, at: EventKeyset, digest: string): string {
  return Buffer.from(JSON.stringify([sort, at.key, at.id, digest])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: EventSort, digest: string): EventKeyset {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 4)
    throw invalid('is not a valid cursor; use nextCursor from the previous page');
  const [issuedFor, key, id, issuedDigest] = value as unknown[];
  const keyOk = typeof key === 'string' && (issuedFor === 'name' ? key.length <= 400 : DAY.test(key));
  if (typeof id !== 'string' || !UUID.test(id) || !keyOk || typeof issuedDigest !== 'string')
    throw invalid('is not a valid cursor; use nextCursor from the previous page');
  if (issuedFor !== sort)
    throw invalid(
      `was issued for sort=${String(issuedFor)}, not sort=${sort}; start again from the first page`,
    );
  if (issuedDigest !== digest) throw invalid('was issued for other filters; start again from the first page');
  return { key: key as string, id };
}
